// Package pcsc reads smart cards through the PC/SC service — pcscd
// (pcsc-lite) on Linux, the Smart Card service on Windows — where that service,
// not the kiosk, owns the card reader. It is the reader stack beside
// drivers/ccid, which drives USB CCID readers itself: both give package eid a
// Card, so the Estonian ID card reads the same over either.
//
// It is the only package on github.com/ebfe/scard (cgo, libpcsclite).
//
// # A map of the package
//
//   - readers.go: Readers, the readers the service knows, and their state.
//   - wait.go: WaitForCard and WaitForRemoval, on SCardGetStatusChange, ended
//     by the context (SCardCancel).
//   - card.go: Connect and Card: Transmit, Transaction, Close; Mode.
//   - name.go: ParseReaderName, the parts of a pcsc-lite reader name.
//   - service.go: the PC/SC contexts, Available.
//   - errors.go: the return codes, Error, the sentinels.
//
// Package pcsctest runs pcscd with vsmartcard's virtual reader and Go virtual
// cards, for tests against the real service.
//
// # Example
//
//	r, err := pcsc.WaitForCard(ctx, "Gemalto PC Twin Reader (645D9F53) 00 00")
//	c, err := pcsc.Connect(ctx, r.Name, pcsc.Options{}) // exclusive
//	defer c.Close()                                     // resets the card
//	p, err := eid.ReadPerson(ctx, c)
//	switch {
//	case errors.Is(err, ccid.ErrCardRemoved): // pulled out: wait for the next card
//	case errors.Is(err, ccid.ErrReaderGone):  // unplugged, or pcscd stopped
//	}
//
// # Protocols and GET RESPONSE
//
// Connect offers T=0 and T=1 and the service chooses from the card's ATR; the
// service and the reader's driver run the protocol. Transmit passes one
// command APDU and returns the response APDU as the card gave it: under T=0 a
// card says 61xx (more data: GET RESPONSE) or 6Cxx (wrong Le) and package eid's
// Transmit follows both, as it does over the CCID driver, so nothing is done
// twice here.
//
// # Exclusive and shared sessions
//
// Exclusive (the default) keeps every other program off the card for the
// session: the kiosk reads a resident's card, and nothing else on the machine
// may select a file between two of its commands or read the card meanwhile.
// Shared lets other programs in too, as a desktop's middleware would; a read of
// several commands then belongs in Transaction. Close resets the card either
// way, so that a PIN verified in the session does not stay verified.
//
// # Errors
//
// Every failed call is an *Error carrying the PC/SC return code. The failures
// a reader has whatever drives it match the CCID driver's sentinels, so one
// errors.Is serves both stacks:
//
//	SCARD_W_REMOVED_CARD, SCARD_W_RESET_CARD        ccid.ErrCardRemoved
//	SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE,
//	SCARD_F_COMM_ERROR, and the service lost mid-session ccid.ErrReaderGone
//	SCARD_E_TIMEOUT, a wait's deadline passed       ccid.ErrTimeout
//	SCARD_E_NO_SMARTCARD                            ccid.ErrNoCard
//	SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED     ErrNoService
//	SCARD_E_SHARING_VIOLATION                       ErrBusy
//
// A card pulled out mid-command is not always reported as removed: the
// service's driver may answer SCARD_E_NOT_TRANSACTED, or success with no bytes
// (vpcd does), before its next poll notices the empty slot. Such a failure is
// checked against the reader's state for Options.RemovalCheck and reported as
// ccid.ErrCardRemoved when the card is gone, or was removed and put back.
//
// # Personal data
//
// Nothing here logs an APDU. pcscd does when started with --apdu (or --debug
// with APDU logging): its log then holds every byte of the card's personal data
// file, so the kiosk's pcscd must run without it.
//
// # What is not done here
//
// Reader-specific controls (SCardControl: PIN pads, escape commands) and
// attributes are not used. A Transmit once sent is not interrupted by its
// context: the service gives SCardTransmit no way to cancel it.
package pcsc
