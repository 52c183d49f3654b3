/** Who is calling and from where; every use case that changes something receives it. */
export interface Actor {
  userId: string;
  email: string;
  isOperator: boolean;
  sessionId: string | null;
  ip: string | null;
}

/** Facts about a request from someone not signed in (sign-up, sign-in, password reset). */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
}
