// Decorators record their parameter types with `Reflect.metadata`, which only exists once
// reflect-metadata is loaded. Product entry points import it themselves; tests often import a
// single source file instead, so every test file gets it here rather than from its own first line.
import 'reflect-metadata';
