#!/usr/bin/env node
// The `quytrinh` command. The product is TypeScript run directly through tsx's loader, so that
// what runs is exactly what is type-checked and tested, with no build step for the server.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
