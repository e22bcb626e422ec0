export { EmailSchema, type Email } from './email.js';
