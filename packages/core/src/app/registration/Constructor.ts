/** Any class Apogee may instantiate to call its task, condition and provider methods. */
export type Constructor = new (...args: never[]) => object;
