// awsQuery input helpers and ELBv2 Marker/PageSize paging.
import t from 'tap';
import { list, num, page, tagsInput } from '../../../../src/sandbox/aws/services/elbv2/input.js';
import { albCanonicalZoneId } from '../../../../src/sandbox/aws/services/elbv2/zones.js';

t.test('lists and scalars from the wire and from in-process callers', async (t) => {
  t.same(list(''), [], 'an explicitly empty awsQuery list arrives as ""');
  t.same(list(undefined), []);
  t.same(list('a'), ['a']);
  t.same(list(['a', 'b']), ['a', 'b']);
  t.equal(num('42', 'Port'), 42);
  t.equal(num(42, 'Port'), 42);
  t.equal(num(undefined, 'Port'), undefined);
  t.throws(() => num('4.2', 'Port'), { code: 'ValidationError' });
});

t.test('tags', async (t) => {
  t.same(tagsInput([{ Key: 'a', Value: '1' }, { Key: 'b' }]), [['a', '1'], ['b', '']]);
  t.throws(() => tagsInput([{ Key: 'a' }, { Key: 'a' }]), { code: 'DuplicateTagKeys' }, 'a key twice in one call');
});

t.test('paging walks every item exactly once', async (t) => {
  const items = Array.from({ length: 9 }, (_, i) => i);
  const seen: number[] = [];
  let marker: string | undefined;
  do {
    const p = page(items, { PageSize: '4', Marker: marker });
    seen.push(...p.items);
    marker = p.NextMarker;
  } while (marker);
  t.same(seen, items);
  t.notOk(page(items, {}).NextMarker, 'default page size 400 holds them all');
  t.throws(() => page(items, { PageSize: 401 }), { code: 'ValidationError' }, 'PageSize above 400');
  t.throws(() => page(items, { PageSize: 0 }), { code: 'ValidationError' }, 'PageSize below 1');
});

t.test('canonical hosted zone ids', async (t) => {
  t.equal(albCanonicalZoneId('ap-northeast-1'), 'Z14GRHDCWA56QT');
  t.equal(albCanonicalZoneId('us-east-1'), 'Z35SXDOTRQ7X7K');
  t.equal(albCanonicalZoneId('xx-test-9'), albCanonicalZoneId('xx-test-9'), 'unknown regions get a stable id');
});
