// notify.go: the service manager's notification socket (sd_notify(3)): one datagram a
// message, "KEY=VALUE" lines, sent to the unix socket named by $NOTIFY_SOCKET.

package supervise

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
)

// ErrNotifySocket is returned for a $NOTIFY_SOCKET that names no unix socket.
var ErrNotifySocket = errors.New("supervise: NOTIFY_SOCKET is not a unix socket path")

// Notifier sends state changes to the service manager. A Notifier for an empty
// socket name sends nothing, so a kiosk started from a terminal runs the same code.
type Notifier struct {
	addr *net.UnixAddr // nil: not supervised

	mu   sync.Mutex
	conn *net.UnixConn
}

// NewNotifier returns a Notifier for the socket named by $NOTIFY_SOCKET's value: a
// path, or "@name" for a socket in the abstract namespace (sd_notify(3)). The socket
// is opened on the first Notify, so a service manager that starts listening late is
// still reached.
func NewNotifier(socket string) (*Notifier, error) {
	if socket == "" {
		return &Notifier{}, nil
	}
	if !strings.HasPrefix(socket, "/") && !strings.HasPrefix(socket, "@") {
		// systemd 254 and later also accept "vsock:" addresses, for virtual
		// machines; a kiosk runs on the machine's own systemd.
		return nil, fmt.Errorf("%w: %q", ErrNotifySocket, socket)
	}
	// Go maps a leading "@" to the abstract namespace's leading NUL byte.
	return &Notifier{addr: &net.UnixAddr{Name: socket, Net: "unixgram"}}, nil
}

// Enabled tells whether a service manager listens.
func (n *Notifier) Enabled() bool { return n.addr != nil }

// Notify sends state, newline-separated assignments such as "READY=1" or
// "STATUS=…\nWATCHDOG=1", as one datagram. It does nothing when not Enabled.
func (n *Notifier) Notify(state string) error {
	if n.addr == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		conn, err := net.DialUnix("unixgram", nil, n.addr)
		if err != nil {
			return fmt.Errorf("supervise: connecting to the notification socket: %w", err)
		}
		n.conn = conn
	}
	if _, err := n.conn.Write([]byte(state)); err != nil {
		// The service manager may have been re-executed (systemctl daemon-reexec)
		// and bound a new socket under the same name: reconnect next time.
		n.conn.Close()
		n.conn = nil
		return fmt.Errorf("supervise: notifying %q: %w", firstLine(state), err)
	}
	return nil
}

// Close closes the socket; a later Notify opens it again.
func (n *Notifier) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn = nil
	return err
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
