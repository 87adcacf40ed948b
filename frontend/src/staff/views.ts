// views.ts: the screens inside the staff entry, and the element each one is found by.

/** A screen inside the staff entry once a member is unlocked. */
export type View = 'home' | 'identify' | 'release' | 'queue' | 'devices' | 'cases' | 'register' | 'apply' | 'case'
