// The outputs a person needs after apply come from the resources' outputs, whatever else exists.
import t from 'tap';
import { outputLines, platformOutputs } from '../../../src/plan/outputs.js';

t.test('ALB DNS name, name servers to delegate, cluster endpoint', async (t) => {
  const outputs = platformOutputs([
    { id: 'network/vpc', kind: 'ec2/vpc', outputs: { vpcId: 'vpc-1' } },
    { id: 'edge/alb/grpc-demo', kind: 'elbv2/alb', outputs: { dnsName: 'k8s-grpcdemo-1.ap-northeast-1.elb.amazonaws.com' } },
    { id: 'edge/hosted-zone', kind: 'route53/hosted-zone', outputs: { name: 'example.com.', nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.com'] } },
    { id: 'eks/cluster', kind: 'eks/cluster', outputs: { endpoint: 'https://ABC.gr7.ap-northeast-1.eks.amazonaws.com' } },
  ]);
  t.same(outputs, {
    loadBalancers: [{ id: 'edge/alb/grpc-demo', dnsName: 'k8s-grpcdemo-1.ap-northeast-1.elb.amazonaws.com' }],
    nameServers: [{ zone: 'example.com', nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.com'] }],
    clusterEndpoint: 'https://ABC.gr7.ap-northeast-1.eks.amazonaws.com',
  });
  t.match(outputLines(outputs).join('\n'), /Outputs:\n {2}load balancer edge\/alb\/grpc-demo: k8s-grpcdemo-1[^\n]*\n {2}name servers for example\.com[^\n]*ns-1\.awsdns-01\.org ns-2\.awsdns-02\.com\n {2}cluster endpoint: https:\/\/ABC/);
  t.same(outputLines(platformOutputs([])), [], 'nothing before anything exists');
});
