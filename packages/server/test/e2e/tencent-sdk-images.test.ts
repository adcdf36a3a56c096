// Image messages with `@tencentcloud/chat` (unmodified) on Pushline: an image whose files are hosted
// elsewhere (URLs in a TIMImageElem, as the REST API and `@pushline/sdk` send it) arrives as an image
// message, and the Tencent SDK passes it on (forwarding sends the same URLs, no upload) to Tencent-SDK and
// `@pushline/sdk` users alike. Uploading a new file from the SDK is not hosted by Pushline: the browser test
// (e2e/tencent-sdk-browser) shows the SDK's upload failing with Pushline's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, type TencentMessage, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

/** The URLs of an image message's sizes, sorted (the SDK lists the sizes in an order of its own). */
const urlsOf = (m: TencentMessage) =>
  (m.payload as { imageInfoArray: { url: string }[] }).imageInfoArray.map((i) => i.url).sort();

const image = {
  MsgType: 'TIMImageElem',
  MsgContent: {
    UUID: 'cat-2026',
    ImageFormat: 1,
    ImageInfoArray: [
      { Type: 1, Size: 48_000, Width: 800, Height: 600, URL: 'https://files.example.com/cat.jpg' },
      { Type: 2, Size: 180_000, Width: 1600, Height: 1200, URL: 'https://files.example.com/cat-large.jpg' },
      { Type: 3, Size: 4_000, Width: 198, Height: 148, URL: 'https://files.example.com/cat-thumb.jpg' },
    ],
  },
};

describe.each(backends)('@tencentcloud/chat image messages on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['t-rosa', 't-sven', 'p-tara', 'p-ugo'],
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('an image from the REST API arrives as an image; forwarded, in C2C and in a group, it reaches both SDKs with its URLs', async () => {
    const rosa = await tencentLoggedIn(s, 't-rosa');
    const sven = await tencentLoggedIn(s, 't-sven');
    clients.push(rosa, sven);
    const tara = await loggedIn(s, 'p-tara', { instanceID: 'tara-phone' });
    await waitFor(() => rosa.ready && sven.ready, 'both ready');
    const T = rosa.TencentCloudChat;

    expect(
      await s.v4('openim/sendmsg', {
        From_Account: 'p-ugo',
        To_Account: 't-rosa',
        MsgRandom: 1,
        MsgBody: [image],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => rosa.messages.length === 1, 'rosa receives the image');
    const got = rosa.messages[0]!;
    expect(got.type).toBe(T.TYPES.MSG_IMAGE);
    const urls = urlsOf(got);
    expect(urls).toEqual(image.MsgContent.ImageInfoArray.map((i) => i.URL).sort());

    // Forwarded to a Tencent-SDK user and to a @pushline/sdk user: the same files, no upload.
    await rosa.chat.sendMessage(
      rosa.chat.createForwardMessage({ to: 't-sven', conversationType: T.TYPES.CONV_C2C, payload: got }),
    );
    await waitFor(() => sven.messages.length === 1, 'sven receives the forwarded image');
    expect(sven.messages[0]).toMatchObject({ type: T.TYPES.MSG_IMAGE, from: 't-rosa' });
    expect(urlsOf(sven.messages[0]!)).toEqual(urls);

    await rosa.chat.sendMessage(
      rosa.chat.createForwardMessage({ to: 'p-tara', conversationType: T.TYPES.CONV_C2C, payload: got }),
    );
    await waitFor(() => tara.messages.length === 1, 'tara receives it');
    const [elem] = tara.messages[0]!.body as (typeof image)[];
    expect(elem!.MsgType).toBe('TIMImageElem');
    expect(elem!.MsgContent.ImageInfoArray.map((i) => i.URL).sort()).toEqual(urls);

    // In a group: the same image forwarded reaches the Tencent-SDK member and the @pushline/sdk member.
    const created = await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 't-rosa',
      Type: 'Work',
      Name: 'Pictures',
      MemberList: [{ Member_Account: 't-sven' }, { Member_Account: 'p-tara' }],
    });
    const groupID = String(created.GroupId);
    await rosa.chat.sendMessage(
      rosa.chat.createForwardMessage({ to: groupID, conversationType: T.TYPES.CONV_GROUP, payload: got }),
    );
    await waitFor(() => sven.messages.length === 2, 'sven receives it in the group');
    expect(sven.messages[1]).toMatchObject({
      type: T.TYPES.MSG_IMAGE,
      to: groupID,
      conversationID: `GROUP${groupID}`,
    });
    expect(urlsOf(sven.messages[1]!)).toEqual(urls);
    await waitFor(() => tara.messages.length === 2, 'tara receives it in the group');
    expect(tara.messages[1]).toMatchObject({ groupId: groupID });
    const [groupElem] = tara.messages[1]!.body as (typeof image)[];
    expect(groupElem!.MsgContent.ImageInfoArray.map((i) => i.URL).sort()).toEqual(urls);
    await tara.chat.logout();
  });
});
