#!/usr/bin/env node
// Post platformd's plan for a pull request's spec as ONE comment on the pull request (GitHub) or
// merge request (GitLab), updating that comment on every push instead of adding another.
// The plan comes from the daemon's POST /plan (the daemon holds the AWS credentials; CI needs
// only its URL and API token). Node 20+, no dependencies.
//
// Environment:
//   PLATFORMD_URL, PLATFORMD_API_TOKEN   the daemon, and the bearer token for /plan
//   SPEC_PATH                            the spec to plan (default specs/platform.yaml)
//   GitHub: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH (or PR_NUMBER), GITHUB_API_URL
//   GitLab: GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
import { readFile } from 'node:fs/promises';

const MARKER = '<!-- platformd-plan -->';
const env = process.env;

function need(name) {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function call(url, init, what) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res.status === 204 ? undefined : res.json();
}

/** The plan as Markdown from the daemon; a 422 (invalid spec) becomes a comment too. */
async function planMarkdown() {
  const specPath = env.SPEC_PATH || 'specs/platform.yaml';
  const body = await readFile(specPath, 'utf8');
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${need('PLATFORMD_URL').replace(/\/$/, '')}/plan`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/yaml', accept: 'text/markdown', ...(env.PLATFORMD_API_TOKEN ? { authorization: `Bearer ${env.PLATFORMD_API_TOKEN}` } : {}) },
    });
    if (res.status === 429 && attempt < 6) {
      const wait = Number(res.headers.get('retry-after') ?? '5');
      console.error(`platformd is busy planning; retrying in ${wait}s (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (res.status === 422) {
      const answer = await res.json();
      const list = answer.diagnostics ?? answer.error?.details?.diagnostics ?? [];
      return [MARKER, `### platformd: \`${specPath}\` is invalid`, '', ...list.map((d) => `- \`${specPath}:${d.line}:${d.column}\` ${d.severity ?? 'error'}: ${d.message ?? d.summary}`)].join('\n');
    }
    if (!res.ok) throw new Error(`POST /plan: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.text()).trim();
  }
}

const github = {
  async target() {
    const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
    const number = env.PR_NUMBER || JSON.parse(await readFile(need('GITHUB_EVENT_PATH'), 'utf8')).pull_request?.number;
    if (!number) throw new Error('no pull request number (PR_NUMBER or the event payload)');
    const headers = { authorization: `Bearer ${need('GITHUB_TOKEN')}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' };
    const base = `${api}/repos/${need('GITHUB_REPOSITORY')}`;
    return {
      async find() {
        for (let page = 1; ; page++) {
          const comments = await call(`${base}/issues/${number}/comments?per_page=100&page=${page}`, { headers }, 'list comments');
          const ours = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
          if (ours) return ours.id;
          if (comments.length < 100) return undefined;
        }
      },
      update: (id, body) => call(`${base}/issues/comments/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ body }) }, 'update comment'),
      create: (body) => call(`${base}/issues/${number}/comments`, { method: 'POST', headers, body: JSON.stringify({ body }) }, 'create comment'),
    };
  },
};

const gitlab = {
  async target() {
    const base = `${need('CI_API_V4_URL').replace(/\/$/, '')}/projects/${encodeURIComponent(need('CI_PROJECT_ID'))}/merge_requests/${need('CI_MERGE_REQUEST_IID')}/notes`;
    const headers = { 'private-token': need('GITLAB_TOKEN'), 'content-type': 'application/json' };
    return {
      async find() {
        for (let page = 1; ; page++) {
          const notes = await call(`${base}?per_page=100&page=${page}`, { headers }, 'list notes');
          const ours = notes.find((n) => typeof n.body === 'string' && n.body.startsWith(MARKER));
          if (ours) return ours.id;
          if (notes.length < 100) return undefined;
        }
      },
      update: (id, body) => call(`${base}/${id}`, { method: 'PUT', headers, body: JSON.stringify({ body }) }, 'update note'),
      create: (body) => call(base, { method: 'POST', headers, body: JSON.stringify({ body }) }, 'create note'),
    };
  },
};

try {
  const provider = env.GITLAB_CI ? gitlab : github;
  const target = await provider.target();
  const body = await planMarkdown();
  const existing = await target.find();
  if (existing) {
    await target.update(existing, body);
    console.log(`updated the plan comment ${existing}`);
  } else {
    const created = await target.create(body);
    console.log(`created the plan comment ${created?.id ?? ''}`.trim());
  }
} catch (err) {
  console.error(`post-plan-comment: ${err.message}`);
  process.exit(1);
}
