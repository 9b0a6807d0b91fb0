import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../http/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.js';
import { Email, MeResponse } from '../auth/schemas.js';
import { EXPORT_SECTIONS } from './export.js';
import { ACCOUNT_TOKEN_PATTERN } from './tokens.js';

const Token = Type.String({ pattern: ACCOUNT_TOKEN_PATTERN, description: "The link's `token` query parameter" });
const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
const CurrentPassword = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });

export const TokenBody = Type.Object({ token: Token });
export const ForgotPasswordBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
export const ResetPasswordBody = Type.Object({ token: Token, password: NewPassword });
export const ChangePasswordBody = Type.Object({ current_password: CurrentPassword, new_password: NewPassword });
export const ChangeEmailBody = Type.Object({ new_email: Email, password: CurrentPassword });
export const PasswordBody = Type.Object({ password: CurrentPassword });

export const MessageResponse = Type.Object({ message: Type.String() });
export const VerifiedResponse = Type.Object({ email: Type.String(), email_verified: Type.Literal(true), message: Type.String() });

export const MailboxResponse = Type.Object({
  messages: Type.Array(
    Type.Object({
      id: Type.Integer(),
      from: Type.String(),
      to: Type.String(),
      subject: Type.String(),
      text: Type.String(),
      html: Type.String(),
      link: Type.Union([Type.String(), Type.Null()]),
      sent_at: Timestamp,
    }),
  ),
});

const Rows = Type.Array(Type.Record(Type.String(), Type.Unknown()));
export const ExportResponse = Type.Object({
  exported_at: Timestamp,
  profile: MeResponse,
  ...Object.fromEntries(EXPORT_SECTIONS.map((name) => [name, Rows])),
});
