/** The token of the module's {@link NestInstanceProvider}. */
export const APOGEE_INSTANCES = Symbol.for('@apogee/nestjs/instances');
