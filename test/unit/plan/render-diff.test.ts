// The structural field diff behind the text plan: equal values (whatever their key order) render
// nothing; scalars change on one line; values that appear or go are listed whole; objects show only
// changed keys; lists of scalars are sets; lists of objects match by a unique key field, or else by
// likeness; unchanged parts are counted, not shown.
import t from 'tap';
import { canonicalJson, diffLines, scalarText, valueLines, type DiffLine } from '../../../src/plan/render-diff.js';
import { KNOWN_AFTER_APPLY } from '../../../src/plan/types.js';

/** Lines as the text plan indents them (two spaces a level), without its outer indentation. */
const show = (lines: DiffLine[]) => lines.map((l) => `${'  '.repeat(l.depth)}${l.marker} ${l.text}`);

t.test('scalars as the plan shows them', async (t) => {
  t.same([null, undefined, '1', 1, true, KNOWN_AFTER_APPLY, [], {}].map(scalarText),
    ['(none)', '(none)', '"1"', '1', 'true', KNOWN_AFTER_APPLY, '[]', '{}'], 'strings quoted so "1" and 1 differ; known after apply is not a string value');
});

t.test('canonical JSON ignores key order, not list order', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  t.not(canonicalJson([1, 2]), canonicalJson([2, 1]));
  t.equal(canonicalJson(undefined), 'null');
});

t.test('equal values render nothing, whatever the key order', async (t) => {
  t.same(diffLines('spec', { a: 1, b: [{ name: 'x', v: 1 }] }, { b: [{ v: 1, name: 'x' }], a: 1 }, 0), []);
  t.same(diffLines('x', null, undefined, 0), [], 'absent and null are the same nothing');
});

t.test('a scalar change is one line; a value that appears or goes is listed whole', async (t) => {
  t.same(show(diffLines('replicas', 2, 3, 0)), ['~ replicas: 2 → 3']);
  t.same(show(diffLines('port', '80', 80, 0)), ['~ port: "80" → 80'], 'a type change is visible');
  t.same(show(diffLines('tags', null, { Name: 'a', Team: 'b' }, 0)), ['+ tags:', '  + Name: "a"', '  + Team: "b"']);
  t.same(show(diffLines('tags', { Name: 'a' }, undefined, 0)), ['- tags:', '  - Name: "a"']);
});

t.test('a value that changed shape goes and comes', async (t) => {
  t.same(show(diffLines('Action', 's3:GetObject', ['s3:GetObject', 's3:PutObject'], 0)),
    ['- Action: "s3:GetObject"', '+ Action:', '  + - "s3:GetObject"', '  + - "s3:PutObject"']);
});

t.test('objects show only their changed keys and count the rest', async (t) => {
  t.same(show(diffLines('metadata', { name: 'a', labels: { app: 'x', tier: 'web' }, uid: 'u' }, { name: 'a', labels: { app: 'y', tier: 'web' }, uid: 'u' }, 0)), [
    '~ metadata:',
    '  ~ labels:',
    '    ~ app: "x" → "y"',
    '      # (1 unchanged attribute hidden)',
    '    # (2 unchanged attributes hidden)',
  ]);
  t.same(show(diffLines('labels', { a: '1', gone: '2' }, { a: '1', added: '3' }, 1)), [
    '  ~ labels:',
    '    + added: "3"',
    '    - gone: "2"',
    '      # (1 unchanged attribute hidden)',
  ], 'added and removed keys at the depth asked for');
});

t.test('scalar lists are sets: members in and out, or one line when only the order changed', async (t) => {
  t.same(show(diffLines('cidrs', ['a', 'b', 'c'], ['b', 'c', 'd'], 0)), ['~ cidrs:', '  - - "a"', '  + - "d"', '    # (2 unchanged elements hidden)']);
  t.same(show(diffLines('cidrs', ['a', 'b'], ['b', 'a'], 0)), ['~ cidrs:', '  ~ # order changed: "b", "a"']);
});

t.test('lists of objects with a unique key field are matched by it', async (t) => {
  const old = [{ name: 'app', image: 'a:1' }, { name: 'proxy', image: 'p:1' }, { name: 'gone', image: 'g:1' }];
  const next = [{ name: 'proxy', image: 'p:1' }, { name: 'app', image: 'a:2' }, { name: 'new', image: 'n:1' }];
  t.same(show(diffLines('containers', old, next, 0)), [
    '~ containers:',
    '  ~ [name="app"]:',
    '    ~ image: "a:1" → "a:2"',
    '      # (1 unchanged attribute hidden)',
    '  + [name="new"]:',
    '    + name: "new"',
    '    + image: "n:1"',
    '  - [name="gone"]:',
    '    - name: "gone"',
    '    - image: "g:1"',
    '    # (1 unchanged element hidden)',
  ], 'a reorder alone is no change; the untouched element is counted');
});

t.test('a key field is used only when unique in both lists; otherwise elements pair by likeness', async (t) => {
  // Two elements share name "x": name cannot key them, so the changed one pairs with its look-alike by position label.
  const old = [{ name: 'x', weight: 1 }, { name: 'x', weight: 2 }];
  const next = [{ name: 'x', weight: 1 }, { name: 'x', weight: 3 }];
  t.same(show(diffLines('targets', old, next, 0)), ['~ targets:', '  ~ [1]:', '    ~ weight: 2 → 3', '      # (1 unchanged attribute hidden)', '    # (1 unchanged element hidden)']);
  t.same(show(diffLines('ports', [{ name: 'x', port: 1 }, { name: 'x', port: 2 }], [{ name: 'x', port: 1 }, { name: 'x', port: 3 }], 0))[1], '  + [port=3]:',
    'the next key field that is unique (port) is used instead');
});

t.test('statements without a key: a changed statement shows as a change inside it, not a removal and an addition', async (t) => {
  const old = [{ Effect: 'Allow', Action: ['ec2:Describe*', 'elb:Describe*'], Resource: '*' }, { Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:role' }];
  const next = [{ Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:role' }, { Effect: 'Allow', Action: ['ec2:Describe*', 'elb:Describe*', 'acm:List*'], Resource: '*' }];
  const lines = show(diffLines('Statement', old, next, 0));
  t.same(lines, [
    '~ Statement:',
    '  ~ [1]:',
    '    ~ Action:',
    '      + - "acm:List*"',
    '        # (2 unchanged elements hidden)',
    '      # (2 unchanged attributes hidden)',
    '    # (1 unchanged element hidden)',
  ]);
});

t.test('valueLines renders a create YAML-like with one marker, an element\'s keys aligned under its first', async (t) => {
  t.same(show(valueLines('rules', [{ host: 'a', paths: ['/x'] }, 'plain', []], '+', 0)), [
    '+ rules:',
    '  + - host: "a"',
    '    + paths:',
    '      + - "/x"',
    '  + - "plain"',
    '  + - []',
  ]);
  t.same(show(valueLines('', 5, '-', 2)), ['    - 5'], 'a bare scalar without a head');
});
