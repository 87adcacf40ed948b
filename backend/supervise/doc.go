// Package supervise tells the service manager (systemd) how the kiosk is: ready once
// its page has loaded, alive while the page's heartbeat is fresh, stopping when it
// shuts down. A page that hangs or whose web process dies stops the watchdog pings,
// and systemd restarts the kiosk (build/linux/certkiosk.service: WatchdogSec=10).
//
// The protocol is sd_notify(3)'s datagrams, written here in a few lines rather than
// brought in with a library: the kiosk needs four messages and the environment's two
// variables, nothing of D-Bus or journal. Started outside systemd ($NOTIFY_SOCKET
// unset) every call is a no-op.
//
//	sup, err := supervise.New(supervise.Options{Heartbeat: app, Log: log})
//	go sup.Run(ctx)            // WATCHDOG=1 every WatchdogSec/2 while the page beats
//	…                          // once the page's DOM is ready:
//	sup.Ready()                // READY=1, once
//	…
//	sup.Stopping()             // STOPPING=1
package supervise
