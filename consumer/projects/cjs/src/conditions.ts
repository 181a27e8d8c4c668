import { when } from '@apogee/core';
import { Subject } from 'rxjs';
// Type-checks only with one copy of rxjs: the project's, which @apogee/core takes as a peer.
export const onReport = when(new Subject<{ user: string }>());
