// revokeMessage with `@tencentcloud/chat` (unmodified) on Pushline: a Tencent-SDK user recalls its
// one-to-one or group message and the Tencent-SDK and `@pushline/sdk` receivers are told; a `@pushline/sdk`
// user's recall reaches a Tencent-SDK receiver as MESSAGE_REVOKED. One recall implementation for both doors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

describe.each(backends)('@tencentcloud/chat recalls on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['t-yara', 't-abe', 'p-zed'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('C2C recalls both ways between the two SDKs', async () => {
    const yara = await tencentLoggedIn(s, 't-yara');
    const abe = await tencentLoggedIn(s, 't-abe');
    clients.push(yara, abe);
    const zed = await loggedIn(s, 'p-zed', { instanceID: 'zed-phone' });
    const zedRevoked: string[] = [];
    zed.chat.addListener({ onRecvMessageRevoked: (info) => zedRevoked.push(info.msgKey) });
    const revokedAt = { yara: [] as string[], abe: [] as string[] };
    const T = yara.TencentCloudChat;
    for (const [name, c] of [
      ['yara', yara],
      ['abe', abe],
    ] as const) {
      c.chat.on(T.EVENT.MESSAGE_REVOKED, (e: { data: { ID: string }[] }) =>
        revokedAt[name].push(...e.data.map((m) => m.ID)),
      );
    }
    await waitFor(() => yara.ready && abe.ready, 'ready');

    // Tencent SDK → Tencent SDK.
    const toAbe = (
      await yara.chat.sendMessage(
        yara.chat.createTextMessage({
          to: 't-abe',
          conversationType: T.TYPES.CONV_C2C,
          payload: { text: 'oops' },
        }),
      )
    ).data.message;
    await waitFor(() => abe.messages.length === 1, 'abe receives it');
    await yara.chat.revokeMessage(toAbe);
    await waitFor(() => revokedAt.abe.length === 1, "abe's SDK hears of the recall");
    expect(revokedAt.abe).toEqual([abe.messages[0]!.ID]);
    expect(abe.messages[0]!.ID).toBe(toAbe.ID);
    // Gone from history too.
    const history = await abe.chat.getMessageList({ conversationID: 'C2Ct-yara' });
    expect(history.data.messageList.filter((m: { isRevoked: boolean }) => !m.isRevoked)).toEqual([]);

    // Tencent SDK → @pushline/sdk.
    const toZed = (
      await yara.chat.sendMessage(
        yara.chat.createTextMessage({
          to: 'p-zed',
          conversationType: T.TYPES.CONV_C2C,
          payload: { text: 'wrong chat' },
        }),
      )
    ).data.message;
    await waitFor(() => zed.messages.length === 1, 'zed receives it');
    await yara.chat.revokeMessage(toZed);
    await waitFor(() => zedRevoked.length === 1, "zed's SDK hears of the recall");
    expect(zedRevoked).toEqual([zed.messages[0]!.msgKey]);

    // @pushline/sdk → Tencent SDK.
    const sent = await zed.chat.sendMessage({
      receiver: 't-yara',
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'take this back' } }],
    });
    await waitFor(() => yara.messages.length === 1, 'yara receives it');
    // Yara's own SDK is told of her two recalls as well (Pushline tells every device holding the message).
    await waitFor(() => revokedAt.yara.length === 2, 'yara hears of her own recalls');
    expect(revokedAt.yara).toEqual([toAbe.ID, toZed.ID]);
    await zed.chat.revokeMessage({ msgKey: sent.msgKey, type: 'c2c', to: 't-yara' });
    await waitFor(() => revokedAt.yara.length === 3, "yara's SDK hears of the recall");
    expect(revokedAt.yara[2]).toBe(yara.messages[0]!.ID);

    await zed.chat.logout();
  });

  it('group recalls: the sender recalls from the Tencent SDK, members on both SDKs are told', async () => {
    const created = await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'p-zed',
      Type: 'Work',
      Name: 'Recalls',
      MemberList: [{ Member_Account: 't-yara' }, { Member_Account: 't-abe' }],
    });
    const groupID = String(created.GroupId);
    const yara = await tencentLoggedIn(s, 't-yara');
    const abe = await tencentLoggedIn(s, 't-abe');
    clients.push(yara, abe);
    const zed = await loggedIn(s, 'p-zed', { instanceID: 'zed-tablet' });
    const zedRevoked: string[] = [];
    zed.chat.addListener({ onRecvMessageRevoked: (info) => zedRevoked.push(info.msgKey) });
    const abeRevoked: string[] = [];
    const T = yara.TencentCloudChat;
    abe.chat.on(T.EVENT.MESSAGE_REVOKED, (e: { data: { ID: string }[] }) =>
      abeRevoked.push(...e.data.map((m) => m.ID)),
    );
    await waitFor(() => yara.ready && abe.ready, 'ready');

    const sent = (
      await yara.chat.sendMessage(
        yara.chat.createTextMessage({
          to: groupID,
          conversationType: T.TYPES.CONV_GROUP,
          payload: { text: 'not for this group' },
        }),
      )
    ).data.message;
    await waitFor(() => abe.messages.length === 1 && zed.messages.length === 1, 'both members receive it');
    await yara.chat.revokeMessage(sent);
    await waitFor(() => abeRevoked.length === 1, "abe's SDK hears of the recall");
    expect(abeRevoked).toEqual([abe.messages[0]!.ID]);
    await waitFor(() => zedRevoked.length === 1, "zed's SDK hears of the recall");
    expect(zedRevoked).toEqual([zed.messages[0]!.msgKey]);
    await zed.chat.logout();
  });
});
