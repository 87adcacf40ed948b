// The staff entry: the shell's hidden corner (a long press on the logo) asks for staff mode
// here; the staff screens (src/staff/StaffEntry.svelte) listen and show their PIN pad.

type Listener = () => void

const listeners = new Set<Listener>()

/** onStaffRequest calls cb each time staff mode is asked for; it returns a function that stops. */
export function onStaffRequest(cb: Listener): () => void {
  listeners.add(cb)
  return () => {
    listeners.delete(cb)
  }
}

/** requestStaff tells every listener that someone asked for staff mode. */
export function requestStaff(): void {
  for (const cb of [...listeners]) cb()
}

/** How long the logo must be held, in milliseconds, before staff mode is asked for. */
export const staffHoldMs = 3000
