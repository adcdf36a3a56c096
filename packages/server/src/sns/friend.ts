// A friend as the relation chain stores it (relations.ts) and announces it (friend-notices.ts).
export interface Friend {
  userId: string;
  remark: string;
  remarkTime: number;
  groups: string[];
  addSource: string;
  addWording: string;
  addTime: number;
}
