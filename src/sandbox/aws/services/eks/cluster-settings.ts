// Cluster settings EKS takes at CreateCluster and answers in DescribeCluster, shaped as the EKS API
// reference shapes them: accessConfig (CreateAccessConfigRequest / AccessConfigResponse), logging
// (Logging / LogSetup), kubernetesNetworkConfig.elasticLoadBalancing (ElasticLoadBalancing) and
// deletionProtection (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html,
// https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html).
import { ServiceError } from '../../service.js';

/** What a cluster keeps of these settings (Cluster extends it). */
export interface ClusterSettings {
  authenticationMode: string;
  /** Whether the creator was made a cluster admin access entry at creation (never changes after). */
  bootstrapClusterCreatorAdminPermissions: boolean;
  /** Control plane log types exported to CloudWatch Logs; the others are off. */
  enabledLogTypes: string[];
  /** EKS Auto Mode's load balancing capability. */
  elasticLoadBalancing: boolean;
  deletionProtection: boolean;
}

/** LogType: Valid Values api | audit | authenticator | controllerManager | scheduler (API_LogSetup). */
const LOG_TYPES: readonly string[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const AUTHENTICATION_MODES: readonly string[] = ['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'];

export interface LoggingInput { clusterLogging?: { types?: unknown[]; enabled?: unknown }[] }
export interface CreateSettingsInput {
  accessConfig?: { authenticationMode?: unknown; bootstrapClusterCreatorAdminPermissions?: unknown };
  logging?: LoggingInput;
  kubernetesNetworkConfig?: { elasticLoadBalancing?: { enabled?: unknown } };
  computeConfig?: { enabled?: unknown };
  storageConfig?: { blockStorage?: { enabled?: unknown } };
  deletionProtection?: unknown;
}

/** The enabled log types after applying a Logging request to `current` (each LogSetup turns its types on or off). */
export function applyLogging(current: readonly string[], logging: LoggingInput | undefined): string[] {
  const enabled = new Set(current);
  for (const setup of logging?.clusterLogging ?? []) {
    for (const type of setup.types ?? []) {
      // NOTE(wording): the code is EKS's for an invalid parameter; the text is ours.
      if (!LOG_TYPES.includes(String(type))) throw new ServiceError('InvalidParameterException', `Invalid log type ${String(type)}: valid values are ${LOG_TYPES.join(', ')}`, 400);
      if (setup.enabled === true) enabled.add(String(type));
      else enabled.delete(String(type));
    }
  }
  return LOG_TYPES.filter((t) => enabled.has(t));
}

/** The settings of a new cluster, refused as CreateCluster refuses them. */
export function createSettings(input: CreateSettingsInput): ClusterSettings {
  // Clusters created through the API default to CONFIG_MAP (CreateAccessConfigRequest).
  const authenticationMode = String(input.accessConfig?.authenticationMode ?? 'CONFIG_MAP');
  if (!AUTHENTICATION_MODES.includes(authenticationMode)) {
    throw new ServiceError('InvalidParameterException', `Invalid authenticationMode ${authenticationMode}: valid values are ${AUTHENTICATION_MODES.join(', ')}`, 400);
  }
  // "The default value is true" (CreateAccessConfigRequest).
  const bootstrap = input.accessConfig?.bootstrapClusterCreatorAdminPermissions !== false;
  // Only access entries can hold the creator's admin; CONFIG_MAP has none (EKS's own text,
  // crossplane-contrib/provider-upjet-aws#1345).
  if (!bootstrap && authenticationMode === 'CONFIG_MAP') {
    throw new ServiceError('InvalidParameterException', 'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP', 400);
  }
  // Auto Mode's three capabilities go on or off together (EKS's text in
  // kubernetes-sigs/cluster-api-provider-aws#5278; terraform-provider-aws documents the same rule).
  const autoMode = [input.computeConfig?.enabled, input.storageConfig?.blockStorage?.enabled, input.kubernetesNetworkConfig?.elasticLoadBalancing?.enabled].map((v) => v === true);
  if (new Set(autoMode).size > 1) {
    throw new ServiceError('InvalidParameterException', 'For EKS Auto Mode, please ensure that all required configs, including computeConfig, kubernetesNetworkConfig, and blockStorage are all either fully enabled or fully disabled.', 400);
  }
  return {
    authenticationMode, bootstrapClusterCreatorAdminPermissions: bootstrap, enabledLogTypes: applyLogging([], input.logging),
    elasticLoadBalancing: autoMode[2]!, deletionProtection: input.deletionProtection === true,
  };
}

/**
 * DescribeCluster's Logging: the enabled types in one LogSetup, the disabled ones in another (a
 * cluster without logging answers every type with enabled false, as EKS does).
 */
export function loggingWire(enabled: readonly string[]) {
  const on = LOG_TYPES.filter((t) => enabled.includes(t));
  const off = LOG_TYPES.filter((t) => !enabled.includes(t));
  return { clusterLogging: [...(on.length ? [{ types: on, enabled: true }] : []), ...(off.length ? [{ types: off, enabled: false }] : [])] };
}

/**
 * "If you try to delete an active cluster that has deletion protection turned on, you will receive
 * an InvalidRequestException"; a creating, failed or deleting cluster can be deleted anyway
 * (https://docs.aws.amazon.com/eks/latest/userguide/deletion-protection.html). Wording ours.
 */
export function refuseProtectedDeletion(c: ClusterSettings & { name: string; status: string }): void {
  if (c.deletionProtection && (c.status === 'ACTIVE' || c.status === 'UPDATING')) {
    throw new ServiceError('InvalidRequestException', `Cluster ${c.name} has deletion protection enabled: disable it with UpdateClusterConfig before deleting the cluster`, 400, { clusterName: c.name });
  }
}
