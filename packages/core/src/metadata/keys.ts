// Metadata keys, package-namespaced so two copies of Apogee agree. Never exported from the package.
export const CLASS_METADATA = Symbol.for('@apogee/core/class-metadata');
