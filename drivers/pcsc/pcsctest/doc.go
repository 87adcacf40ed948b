// Package pcsctest runs a real PC/SC stack for tests: pcscd (package pcscd)
// with the virtual reader driver of vsmartcard-vpcd, and virtual cards written
// in Go that speak vpcd's protocol, so that drivers/pcsc is tested against
// pcsc-lite itself rather than a fake of it.
//
//	pcsctest.Isolate()                         // first, before any PC/SC call
//	d := pcsctest.Start(t)                     // pcscd on a private socket
//	card, _ := eidtest.New(holder, eidtest.Options{})
//	v := d.Insert(t, 0, pcsctest.EstEIDATR(), card) // into "CertKiosk Virtual PCD 00 00"
//	c, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
//	p, err := eid.ReadPerson(ctx, c)
//	v.Remove()                                 // pulled out
//	d.Stop()                                   // the service gone
//
// # Isolation
//
// The pcscd started here listens on a socket of its own, handed to it the way
// systemd does (LISTEN_FDS), so it never meets a pcscd already running on the
// machine; its vpcd readers listen on free TCP ports, not vpcd's default 35963.
// libpcsclite finds the socket through PCSCLITE_CSOCK_NAME, which it reads once
// per process: Isolate sets it, and must run before the process's first PC/SC
// call (TestMain, or Start itself). pcscd writes /run/pcscd/pcscd.pid, which
// it cannot be told otherwise: where user namespaces are allowed it runs under
// unshare with a tmpfs of its own on /run (and needs no root); elsewhere it
// uses the machine's /run/pcscd, which must exist or be creatable, and may
// remove a running system pcscd's pid file when it stops.
//
// # When pcscd or vpcd is missing
//
// Start skips the test, naming the Debian package to install; with
// CERTKIOSK_REQUIRE_PCSC set (as CI sets it) it fails the test instead.
//
// # vpcd's protocol
//
// vpcd listens on a TCP port per slot; a card connects to it (inserted) and
// closes the connection (removed). Each message either way is a 2-byte
// big-endian length and that many bytes. A 1-byte message from vpcd is a
// control: 00 power off, 01 power on, 02 reset, 04 get the ATR (answered with
// the ATR); any longer one is a command APDU, answered with the response APDU.
package pcsctest
