package pcsctest

// quickack_linux.go: vpcd (vsmartcard 3.3, Debian 12) sends a message's length
// and its bytes in two writes without TCP_NODELAY, so Nagle's algorithm holds
// the bytes until the length is acknowledged, and a delayed acknowledgement
// makes that 40 ms per APDU. Asking for quick acknowledgements before every
// read removes the wait.

import (
	"net"
	"syscall"
)

// quickAck asks the kernel to acknowledge what arrives on conn at once. Linux
// drops the setting as it sees fit, so it is set again before every read.
func quickAck(conn net.Conn) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
