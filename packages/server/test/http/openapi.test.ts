// GET /openapi.json: a valid OpenAPI 3.1 document, unauthenticated, with every v4 command the router serves
// (its registry, not a list kept here), each request body the command's own zod schema (checked by running
// bodies through both), the console routes with their schemas, and `pushline openapi` writing the same.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

function requestSchema(doc: Doc, path: string, method = 'post'): Record<string, unknown> {
  const op = doc.paths[path]?.[method] as {
    requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
  };
  return op.requestBody.content['application/json'].schema;
}

describe('OpenAPI document', () => {
  let s: TestServer;
  let doc: Doc;
  let raw: Response;

  beforeAll(async () => {
    s = await startTestServer();
    raw = await fetch(`${s.url}/openapi.json`);
    doc = (await raw.clone().json()) as Doc;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is served without credentials and is a valid OpenAPI 3.1 document', async () => {
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as object);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has every registered v4 command, with the common parameters, security and error codes', () => {
    const commands = s.pushline.v4Commands;
    expect(commands.length).toBeGreaterThan(50);
    for (const command of commands) {
      const op = doc.paths[`/v4/${command.name}`]?.post as Record<string, unknown> | undefined;
      expect(op, command.name).toBeDefined();
      expect(op!.security).toEqual([{ UserSig: [] }]);
      expect((op!.parameters as { $ref: string }[]).map((p) => p.$ref.split('/').pop())).toEqual([
        'sdkappid',
        'identifier',
        'usersig',
        'random',
        'contenttype',
      ]);
      const codes = (op!['x-error-codes'] as { code: number }[]).map((c) => c.code);
      expect(codes).toContain(command.invalid.default);
      for (const code of Object.values(command.invalid.fields ?? {})) expect(codes).toContain(code);
    }
    const v4Paths = Object.keys(doc.paths).filter((p) => p.startsWith('/v4/'));
    expect(v4Paths.length).toBe(commands.length);
  });

  it("each request schema is converted from the command's zod schema: sample bodies get the same verdict", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // Bodies the command validates: an empty object, and each command's examples when it has them.
    for (const command of s.pushline.v4Commands) {
      const validate = ajv.compile(requestSchema(doc, `/v4/${command.name}`));
      if (command.body.safeParse({}).success) expect(validate({}), command.name).toBe(true);
      // A body that is not an object is refused by both.
      expect(validate([]), command.name).toBe(false);
    }
    const sendmsg = ajv.compile(requestSchema(doc, '/v4/openim/sendmsg'));
    const body = {
      From_Account: 'sam',
      To_Account: 'alice',
      MsgRandom: 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
    };
    expect(sendmsg(body)).toBe(true);
    expect(sendmsg({ ...body, To_Account: 42 })).toBe(false);
    // MsgBody is published with the element schema its handler checks (messaging/message-types.ts).
    expect(sendmsg({ ...body, MsgBody: [] })).toBe(false);
    expect(sendmsg({ ...body, MsgBody: [{ MsgType: 'TIMNopeElem', MsgContent: {} }] })).toBe(false);
  });

  it('every registered command has a request example', () => {
    const missing = s.pushline.v4Commands.filter((c) => !c.examples?.length).map((c) => c.name);
    expect(missing).toEqual([]);
    for (const command of s.pushline.v4Commands) {
      const body = doc.paths[`/v4/${command.name}`]?.post?.requestBody as
        | { content: Record<string, { examples?: Record<string, unknown> }> }
        | undefined;
      expect(body, command.name).toBeDefined();
      const content = body!.content['application/json']!;
      expect(Object.keys(content.examples ?? {}).length, command.name).toBe(command.examples!.length);
    }
  });

  it('every example validates against its request schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    let examples = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const content = (op.requestBody as { content?: Record<string, Record<string, unknown>> } | undefined)
          ?.content?.['application/json'];
        const found = (content?.examples ?? {}) as Record<string, { value: unknown }>;
        if (!content || !Object.keys(found).length) continue;
        const validate = ajv.compile(content.schema as object);
        const command = s.pushline.v4Commands.find((c) => `/v4/${c.name}` === path);
        for (const [name, example] of Object.entries(found)) {
          examples++;
          expect(validate(example.value), `${method} ${path} example ${name}`).toBe(true);
          // And the server takes it: the command's own zod schema accepts it too.
          if (command) expect(command.body.safeParse(example.value).success, `${path} ${name}`).toBe(true);
        }
      }
    }
    expect(examples).toBeGreaterThan(0);
  });

  it('lists the console routes, with the schemas of those that declare them', () => {
    const ajv = new Ajv2020({ strict: false });
    const login = ajv.compile(requestSchema(doc, '/api/console/session'));
    expect(login({ username: 'admin', password: 'x' })).toBe(true);
    expect(login({ username: 'admin' })).toBe(false);
    expect(doc.paths['/api/console/session']?.post?.security).toEqual([]);
    // A route without a schema is listed with its method and path and a note.
    const overview = doc.paths['/api/console/apps/{sdkappid}/overview']?.get as { description: string };
    expect(overview.description).toMatch(/declares no input schema/);
    const records = doc.paths['/api/console/apps/{sdkappid}/push-records']?.get as {
      parameters: { name: string; in: string }[];
    };
    expect(records.parameters.filter((p) => p.in === 'query').length).toBeGreaterThan(0);
  });

  it('`pushline openapi -o <file>` writes the document the server serves', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'pushline-openapi-test-'));
    try {
      const file = join(dir, 'openapi.json');
      const r = await pushline(['openapi', '-o', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(doc);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

// The published answers are what the server answers: each command with an answer schema runs (its last
// example, in an order where each one succeeds) against a real server, and its answer must validate.
const ANSWERED_IN_ORDER = [
  'openconfigsvr/getappinfo',
  'ConfigSvc/GetIPList',
  'sns/friend_import',
  'sns/friend_add',
  'sns/friend_check',
  'sns/friend_get',
  'sns/friend_get_list',
  'sns/black_list_add',
  'sns/black_list_get',
  'sns/black_list_check',
  'sns/black_list_delete',
  'sns/friend_delete',
  'sns/friend_delete_all',
  'openconfigsvr/setnospeaking',
  'openconfigsvr/getnospeaking',
  'recentcontact/get_list',
  'recentcontact/top',
  'recentcontact/delete',
  'group_open_http_svc/get_group_info',
  'group_open_http_svc/modify_group_base_info',
  'group_open_http_svc/get_joined_group_list',
  'group_open_http_svc/get_role_in_group',
  'group_open_http_svc/add_group_member',
  'group_open_http_svc/forbid_send_msg',
  'group_open_http_svc/get_group_muted_account',
  'group_open_http_svc/change_group_owner',
  'group_open_http_svc/send_group_system_notification',
  'group_open_http_svc/get_appid_group_list',
  'openim/importmsg',
  'group_open_http_svc/import_group',
  'group_open_http_svc/import_group_member',
  'group_open_http_svc/import_group_msg',
];

describe.each(await testBackends())('OpenAPI answer schemas against real answers on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carol', 'dave'].map((UserID) => ({ UserID })),
    });
    await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'alice',
      Type: 'Public',
      GroupId: 'club',
      Name: 'Club',
      MemberList: [{ Member_Account: 'bob' }],
    });
    await s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: 5,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('every command with an answer schema answers what the schema says', async () => {
    const doc = s.pushline.openApi() as Doc;
    const withAnswer = s.pushline.v4Commands.filter((c) => c.answer).map((c) => c.name);
    expect([...withAnswer].sort()).toEqual([...ANSWERED_IN_ORDER].sort());
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const name of ANSWERED_IN_ORDER) {
      const command = s.pushline.v4Commands.find((c) => c.name === name)!;
      const op = doc.paths[`/v4/${name}`]!.post as {
        responses: { '200': { content: { 'application/json': { schema: object } } } };
      };
      const validate = ajv.compile({
        ...op.responses['200'].content['application/json'].schema,
        components: (doc as unknown as { components: object }).components,
      });
      const answer = await s.v4(name, command.examples!.at(-1));
      expect(answer, name).toMatchObject({ ErrorCode: 0 });
      expect(validate(answer), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      // The schema says something: an answer without its first own field is refused.
      const own = Object.keys(answer).find((k) => !['ActionStatus', 'ErrorCode', 'ErrorInfo'].includes(k));
      if (own && !['ErrorDisplay'].includes(own)) {
        const { [own]: _dropped, ...without } = answer;
        expect(validate(without), `${name} without ${own}`).toBe(false);
      }
    }
  });
});
