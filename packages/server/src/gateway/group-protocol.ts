// Request schemas of the group management ops (group-ops.ts), named after V2TIM's group API; part of the
// gateway protocol (protocol.ts requestSchemas, docs/protocol.md).
import { z } from 'zod';
import { userIdSchema } from '../apps/user-id.js';
import { GROUP_LIMITS, GROUP_TYPES } from '../messaging/groups.js';

const groupID = z.string().min(1).max(48);
const bytes = (max: number) => z.string().refine((v) => Buffer.byteLength(v) <= max, `at most ${max} bytes`);
/** V2TIMGroupInfo.customInfo: key -> value (a value "" deletes the key in setGroupInfo). */
const customInfo = z.record(z.string(), z.string());

export const groupRequestSchemas = {
  createGroup: z.object({
    groupType: z.enum(GROUP_TYPES),
    groupID: groupID.optional(),
    groupName: bytes(GROUP_LIMITS.name).pipe(z.string().min(1)),
    introduction: bytes(GROUP_LIMITS.introduction).optional(),
    notification: bytes(GROUP_LIMITS.notification).optional(),
    faceURL: bytes(GROUP_LIMITS.faceUrl).optional(),
    customInfo: customInfo.optional(),
    /** V2TIMCreateGroupMemberInfo: role 200 member, 300 admin. */
    memberList: z
      .array(
        z.object({
          userID: userIdSchema,
          role: z.union([z.literal(200), z.literal(300)]).optional(),
        }),
      )
      .max(500)
      .optional(),
  }),
  /** `message`: the request's note to the admins (NeedPermission groups only). */
  joinGroup: z.object({ groupID, message: bytes(GROUP_LIMITS.introduction).optional() }),
  // Requests to join NeedPermission groups (messaging/group-join-requests.ts): V2TIM's names.
  getGroupApplicationList: z.object({}),
  acceptGroupApplication: z.object({
    groupID,
    userID: userIdSchema,
    reason: bytes(GROUP_LIMITS.introduction).optional(),
  }),
  refuseGroupApplication: z.object({
    groupID,
    userID: userIdSchema,
    reason: bytes(GROUP_LIMITS.introduction).optional(),
  }),
  quitGroup: z.object({ groupID }),
  inviteUserToGroup: z.object({ groupID, userList: z.array(userIdSchema).min(1).max(500) }),
  kickGroupMember: z.object({
    groupID,
    memberList: z.array(userIdSchema).min(1).max(100),
    reason: bytes(GROUP_LIMITS.introduction).optional(),
  }),
  getGroupsInfo: z.object({ groupIDList: z.array(groupID).min(1).max(50) }),
  setGroupInfo: z
    .object({
      groupID,
      groupName: bytes(GROUP_LIMITS.name).pipe(z.string().min(1)).optional(),
      introduction: bytes(GROUP_LIMITS.introduction).optional(),
      notification: bytes(GROUP_LIMITS.notification).optional(),
      faceURL: bytes(GROUP_LIMITS.faceUrl).optional(),
      /** V2TIMGroupInfo.allMuted: ShutUpAllMember. */
      allMuted: z.boolean().optional(),
      /** V2TIMGroupAddOpt: 0 forbid, 1 an owner or admin approves each request, 2 anyone. */
      groupAddOpt: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
      customInfo: customInfo.optional(),
    })
    .refine((d) => Object.keys(d).some((k) => k !== 'groupID' && d[k as keyof typeof d] !== undefined), {
      message: 'give at least one field to change',
    }),
  getGroupMemberList: z.object({
    groupID,
    /** V2TIMGroupMemberFilter: 0 all, 1 owner, 2 admins, 4 common members. */
    filter: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(4)]).default(0),
    /** Where to continue: the nextSeq of the previous answer (0 = from the start). */
    nextSeq: z.number().int().min(0).default(0),
    count: z.number().int().min(1).max(100).default(100),
  }),
  muteGroupMember: z.object({
    groupID,
    userID: userIdSchema,
    /** Seconds; 0 lifts the mute. */
    seconds: z.number().int().min(0).max(4_294_967_295),
  }),
} as const;
