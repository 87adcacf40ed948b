package ccid

// frame.go: the messages of the bulk pipes (CCID rev 1.1 §6.1 and §6.2) and
// of the interrupt pipe (§6.3): their 10-byte header, a strict decoder, the
// slot status register.

import (
	"encoding/binary"
	"fmt"
)

// MessageType is bMessageType.
type MessageType uint8

// Bulk-OUT commands (§6.1) and bulk-IN answers (§6.2).
const (
	PCtoRDRSetParameters   MessageType = 0x61
	PCtoRDRIccPowerOn      MessageType = 0x62
	PCtoRDRIccPowerOff     MessageType = 0x63
	PCtoRDRGetSlotStatus   MessageType = 0x65
	PCtoRDRSecure          MessageType = 0x69
	PCtoRDRT0APDU          MessageType = 0x6a
	PCtoRDREscape          MessageType = 0x6b
	PCtoRDRGetParameters   MessageType = 0x6c
	PCtoRDRResetParameters MessageType = 0x6d
	PCtoRDRIccClock        MessageType = 0x6e
	PCtoRDRXfrBlock        MessageType = 0x6f
	PCtoRDRMechanical      MessageType = 0x71
	PCtoRDRAbort           MessageType = 0x72
	PCtoRDRSetDataRate     MessageType = 0x73 // PC_to_RDR_SetDataRateAndClockFrequency

	RDRtoPCDataBlock  MessageType = 0x80
	RDRtoPCSlotStatus MessageType = 0x81
	RDRtoPCParameters MessageType = 0x82
	RDRtoPCEscape     MessageType = 0x83
	RDRtoPCDataRate   MessageType = 0x84 // RDR_to_PC_DataRateAndClockFrequency
)

// Interrupt-IN messages (§6.3).
const (
	RDRtoPCNotifySlotChange MessageType = 0x50
	RDRtoPCHardwareError    MessageType = 0x51
)

// String returns the specification's name without its direction prefix, e.g.
// "XfrBlock", "DataBlock".
func (t MessageType) String() string {
	switch t {
	case PCtoRDRSetParameters:
		return "SetParameters"
	case PCtoRDRIccPowerOn:
		return "IccPowerOn"
	case PCtoRDRIccPowerOff:
		return "IccPowerOff"
	case PCtoRDRGetSlotStatus:
		return "GetSlotStatus"
	case PCtoRDRSecure:
		return "Secure"
	case PCtoRDRT0APDU:
		return "T0APDU"
	case PCtoRDREscape:
		return "Escape(PC)"
	case PCtoRDRGetParameters:
		return "GetParameters"
	case PCtoRDRResetParameters:
		return "ResetParameters"
	case PCtoRDRIccClock:
		return "IccClock"
	case PCtoRDRXfrBlock:
		return "XfrBlock"
	case PCtoRDRMechanical:
		return "Mechanical"
	case PCtoRDRAbort:
		return "Abort"
	case PCtoRDRSetDataRate:
		return "SetDataRateAndClockFrequency"
	case RDRtoPCDataBlock:
		return "DataBlock"
	case RDRtoPCSlotStatus:
		return "SlotStatus"
	case RDRtoPCParameters:
		return "Parameters"
	case RDRtoPCEscape:
		return "Escape(RDR)"
	case RDRtoPCDataRate:
		return "DataRateAndClockFrequency"
	case RDRtoPCNotifySlotChange:
		return "NotifySlotChange"
	case RDRtoPCHardwareError:
		return "HardwareError"
	}
	return fmt.Sprintf("message-%02x", uint8(t))
}

// IsCommand reports whether t is a bulk-OUT command.
func (t MessageType) IsCommand() bool {
	switch t {
	case PCtoRDRSetParameters, PCtoRDRIccPowerOn, PCtoRDRIccPowerOff, PCtoRDRGetSlotStatus,
		PCtoRDRSecure, PCtoRDRT0APDU, PCtoRDREscape, PCtoRDRGetParameters, PCtoRDRResetParameters,
		PCtoRDRIccClock, PCtoRDRXfrBlock, PCtoRDRMechanical, PCtoRDRAbort, PCtoRDRSetDataRate:
		return true
	}
	return false
}

// IsResponse reports whether t is a bulk-IN answer.
func (t MessageType) IsResponse() bool {
	return t >= RDRtoPCDataBlock && t <= RDRtoPCDataRate
}

// Response returns the answer type the specification gives each command
// (§6.1, Table 6.1-1), and false for a type that is not a command.
func (t MessageType) Response() (MessageType, bool) {
	switch t {
	case PCtoRDRIccPowerOn, PCtoRDRXfrBlock, PCtoRDRSecure:
		return RDRtoPCDataBlock, true
	case PCtoRDRIccPowerOff, PCtoRDRGetSlotStatus, PCtoRDRIccClock, PCtoRDRT0APDU, PCtoRDRMechanical, PCtoRDRAbort:
		return RDRtoPCSlotStatus, true
	case PCtoRDRGetParameters, PCtoRDRResetParameters, PCtoRDRSetParameters:
		return RDRtoPCParameters, true
	case PCtoRDREscape:
		return RDRtoPCEscape, true
	case PCtoRDRSetDataRate:
		return RDRtoPCDataRate, true
	}
	return 0, false
}

// HeaderLen is the length of every bulk message's header.
const HeaderLen = 10

// Frame is one bulk message: the header fields and abData. Param holds the
// three message-specific header bytes: for a command e.g. bPowerSelect and
// abRFU, or bBWI and wLevelParameter; for an answer bStatus, bError and the
// third byte (bChainParameter, bClockStatus, bProtocolNum).
type Frame struct {
	Type  MessageType
	Slot  uint8
	Seq   uint8
	Param [3]byte
	Data  []byte
}

// Status returns bStatus of an answer.
func (f Frame) Status() Status { return Status(f.Param[0]) }

// Error returns bError of an answer.
func (f Frame) Error() byte { return f.Param[1] }

// Chain returns bChainParameter of a DataBlock.
func (f Frame) Chain() byte { return f.Param[2] }

// String describes the frame in one line, data abbreviated.
func (f Frame) String() string {
	s := fmt.Sprintf("%s slot %d seq %d [% x]", f.Type, f.Slot, f.Seq, f.Param[:])
	if len(f.Data) > 0 {
		const show = 16
		if len(f.Data) <= show {
			s += fmt.Sprintf(" % x", f.Data)
		} else {
			s += fmt.Sprintf(" % x… (%d bytes)", f.Data[:show], len(f.Data))
		}
	}
	return s
}

// Encode returns the message as it goes over the wire: the header with
// dwLength set to len(f.Data), then the data.
func (f Frame) Encode() []byte {
	b := make([]byte, HeaderLen+len(f.Data))
	b[0] = byte(f.Type)
	binary.LittleEndian.PutUint32(b[1:5], uint32(len(f.Data)))
	b[5] = f.Slot
	b[6] = f.Seq
	copy(b[7:10], f.Param[:])
	copy(b[HeaderLen:], f.Data)
	return b
}

// DecodeFrame decodes one bulk message that b holds exactly, as one transfer
// carries it. It is strict, since a reader that gets the framing wrong cannot be
// trusted with the rest: b must hold the whole header, dwLength must equal the
// bytes after it, the message must not exceed maxLen (dwMaxCCIDMessageLength;
// 0 for no limit), its type must be one the specification defines, and a
// SlotStatus carries no data. Errors wrap ErrFrame. The frame's Data aliases b.
func DecodeFrame(b []byte, maxLen int) (Frame, error) {
	if len(b) < HeaderLen {
		return Frame{}, fmt.Errorf("%w: truncated: %d bytes, the header alone is %d", ErrFrame, len(b), HeaderLen)
	}
	t := MessageType(b[0])
	if !t.IsCommand() && !t.IsResponse() {
		return Frame{}, fmt.Errorf("%w: unknown bMessageType 0x%02x", ErrFrame, b[0])
	}
	n := uint64(binary.LittleEndian.Uint32(b[1:5]))
	if maxLen > 0 && HeaderLen+n > uint64(maxLen) {
		return Frame{}, fmt.Errorf("%w: %s of %d bytes, longer than the reader's maximum of %d", ErrFrame, t, HeaderLen+n, maxLen)
	}
	if got := uint64(len(b) - HeaderLen); got != n {
		what := "truncated"
		if got > n {
			what = "trailing bytes"
		}
		return Frame{}, fmt.Errorf("%w: %s: dwLength %d but %d bytes of data follow the header", ErrFrame, what, n, got)
	}
	if t == RDRtoPCSlotStatus && n != 0 {
		return Frame{}, fmt.Errorf("%w: SlotStatus with %d bytes of data", ErrFrame, n)
	}
	f := Frame{Type: t, Slot: b[5], Seq: b[6], Data: b[HeaderLen:]}
	copy(f.Param[:], b[7:10])
	return f, nil
}

// Status is the slot status register, bStatus (§6.2).
type Status uint8

// ICC returns bmICCStatus, bits 1..0.
func (s Status) ICC() ICCState { return ICCState(s & 0x03) }

// Command returns bmCommandStatus, bits 7..6.
func (s Status) Command() CommandStatus { return CommandStatus(s >> 6) }

// String reads like "failed, no card".
func (s Status) String() string { return s.Command().String() + ", " + s.ICC().String() }

// ICCState is bmICCStatus: what the reader knows of the card in a slot.
type ICCState uint8

// Card states.
const (
	CardActive   ICCState = 0 // present and powered
	CardInactive ICCState = 1 // present, not powered
	CardAbsent   ICCState = 2
)

// String returns "card present, active", "card present, inactive" or "no card".
func (s ICCState) String() string {
	switch s {
	case CardActive:
		return "card present, active"
	case CardInactive:
		return "card present, inactive"
	case CardAbsent:
		return "no card"
	}
	return "card state 3 (RFU)"
}

// Present reports whether there is a card in the slot.
func (s ICCState) Present() bool { return s == CardActive || s == CardInactive }

// CommandStatus is bmCommandStatus.
type CommandStatus uint8

// Command outcomes.
const (
	CommandOK            CommandStatus = 0
	CommandFailed        CommandStatus = 1 // bError says why
	CommandTimeExtension CommandStatus = 2 // bError is the BWT multiplier; the answer follows
)

// String returns "ok", "failed" or "time extension".
func (c CommandStatus) String() string {
	switch c {
	case CommandOK:
		return "ok"
	case CommandFailed:
		return "failed"
	case CommandTimeExtension:
		return "time extension"
	}
	return "command status 3 (RFU)"
}

// Notification is a message of the interrupt pipe (§6.3): a change of card
// presence in one or more slots, or a hardware error.
type Notification struct {
	Type MessageType
	// Present and Changed, for NotifySlotChange, hold bmSlotICCState: for slot i,
	// whether a card is in it now and whether that changed since the last
	// notification. Both have one entry per slot the message covers.
	Present, Changed []bool
	// Slot, Seq and Code, for HardwareError: where it happened, the bSeq of the
	// command under way and bHardwareErrorCode (0x01: overcurrent).
	Slot, Seq, Code uint8
}

// HardwareOvercurrent is the only bHardwareErrorCode the specification defines.
const HardwareOvercurrent = 0x01

// DecodeNotification decodes one interrupt-IN message. A NotifySlotChange
// must cover slots slots (bMaxSlotIndex+1) in whole bytes, two bits a slot; a
// HardwareError is 4 bytes. Errors wrap ErrFrame.
func DecodeNotification(b []byte, slots int) (Notification, error) {
	if len(b) == 0 {
		return Notification{}, fmt.Errorf("%w: empty interrupt message", ErrFrame)
	}
	switch t := MessageType(b[0]); t {
	case RDRtoPCNotifySlotChange:
		want := 1 + (2*slots+7)/8
		if slots < 1 || len(b) != want {
			return Notification{}, fmt.Errorf("%w: NotifySlotChange of %d bytes for %d slots, want %d", ErrFrame, len(b), slots, want)
		}
		n := Notification{Type: t, Present: make([]bool, slots), Changed: make([]bool, slots)}
		for i := range slots {
			bits := b[1+i/4] >> (2 * (i % 4))
			n.Present[i] = bits&0x01 != 0
			n.Changed[i] = bits&0x02 != 0
		}
		return n, nil
	case RDRtoPCHardwareError:
		if len(b) != 4 {
			return Notification{}, fmt.Errorf("%w: HardwareError of %d bytes, want 4", ErrFrame, len(b))
		}
		return Notification{Type: t, Slot: b[1], Seq: b[2], Code: b[3]}, nil
	default:
		return Notification{}, fmt.Errorf("%w: bMessageType 0x%02x on the interrupt pipe", ErrFrame, b[0])
	}
}

// Encode returns the message as the interrupt pipe carries it.
func (n Notification) Encode() []byte {
	if n.Type == RDRtoPCHardwareError {
		return []byte{byte(n.Type), n.Slot, n.Seq, n.Code}
	}
	slots := len(n.Present)
	b := make([]byte, 1+(2*slots+7)/8)
	b[0] = byte(RDRtoPCNotifySlotChange)
	for i := range slots {
		var bits byte
		if n.Present[i] {
			bits |= 0x01
		}
		if i < len(n.Changed) && n.Changed[i] {
			bits |= 0x02
		}
		b[1+i/4] |= bits << (2 * (i % 4))
	}
	return b
}
