package ccid

// descriptor.go: the CCID class descriptor (CCID rev 1.1 §5.1), found among
// the configuration descriptor's bytes (USB 2.0 §9.6.3), and what its
// dwFeatures says about how to talk to the reader.

import (
	"encoding/binary"
	"fmt"
	"strings"

	"certkiosk/drivers/usb"
)

// DescriptorTypeCCID is the CCID class descriptor's bDescriptorType.
const DescriptorTypeCCID = 0x21

// DescriptorLen is the CCID class descriptor's bLength.
const DescriptorLen = 0x36

// Features is dwFeatures (§5.1, Table 5.1-1).
type Features uint32

// Feature bits.
const (
	FeatureAutoParameters    Features = 0x00000002 // parameters set from the ATR by the reader
	FeatureAutoActivation    Features = 0x00000004 // card powered on when inserted
	FeatureAutoVoltage       Features = 0x00000008 // bPowerSelect 0 picks the voltage
	FeatureAutoClock         Features = 0x00000010
	FeatureAutoBaudRate      Features = 0x00000020
	FeatureAutoNegotiation   Features = 0x00000040 // parameters negotiated by the reader's own algorithm
	FeatureAutoPPS           Features = 0x00000080 // PPS made by the reader from the parameters set
	FeatureClockStop         Features = 0x00000100
	FeatureNAD               Features = 0x00000200 // NAD other than 00 accepted (T=1)
	FeatureAutoIFSD          Features = 0x00000400 // the reader sends S(IFS request) itself (T=1)
	FeatureLevelTPDU         Features = 0x00010000
	FeatureLevelShortAPDU    Features = 0x00020000
	FeatureLevelExtendedAPDU Features = 0x00040000
	FeatureWakeUp            Features = 0x00100000 // USB wake-up on card insertion and removal
)

// Level is the reader's level of exchange, which decides what XfrBlock carries.
type Level int

// Exchange levels (§5.1, dwFeatures bits 16..18).
const (
	// LevelCharacter: the host drives the card character by character. Not
	// supported.
	LevelCharacter Level = iota
	// LevelTPDU: XfrBlock carries protocol units: T=1 blocks, which this package
	// frames itself, or T=0 TPDUs, which it does not support.
	LevelTPDU
	// LevelShortAPDU: XfrBlock carries a whole short APDU; the reader handles the
	// card's protocol.
	LevelShortAPDU
	// LevelExtendedAPDU: as LevelShortAPDU, and extended APDUs too, split over
	// several XfrBlocks when longer than the reader's maximum message.
	LevelExtendedAPDU
)

// String returns "character", "TPDU", "short APDU" or "extended APDU".
func (l Level) String() string {
	switch l {
	case LevelCharacter:
		return "character"
	case LevelTPDU:
		return "TPDU"
	case LevelShortAPDU:
		return "short APDU"
	case LevelExtendedAPDU:
		return "extended APDU"
	}
	return fmt.Sprintf("level-%d", int(l))
}

// Level returns the exchange level the features announce. A reader that sets
// more than one level bit breaks §5.1; the highest one wins, as the readers
// that do this work at it.
func (f Features) Level() Level {
	switch {
	case f&FeatureLevelExtendedAPDU != 0:
		return LevelExtendedAPDU
	case f&FeatureLevelShortAPDU != 0:
		return LevelShortAPDU
	case f&FeatureLevelTPDU != 0:
		return LevelTPDU
	}
	return LevelCharacter
}

// String lists the features by name, e.g. "auto-parameters,auto-voltage,TPDU".
func (f Features) String() string {
	names := []struct {
		bit  Features
		name string
	}{
		{FeatureAutoParameters, "auto-parameters"}, {FeatureAutoActivation, "auto-activation"},
		{FeatureAutoVoltage, "auto-voltage"}, {FeatureAutoClock, "auto-clock"},
		{FeatureAutoBaudRate, "auto-baud-rate"}, {FeatureAutoNegotiation, "auto-negotiation"},
		{FeatureAutoPPS, "auto-PPS"}, {FeatureClockStop, "clock-stop"}, {FeatureNAD, "NAD"},
		{FeatureAutoIFSD, "auto-IFSD"}, {FeatureLevelTPDU, "TPDU"}, {FeatureLevelShortAPDU, "short-APDU"},
		{FeatureLevelExtendedAPDU, "extended-APDU"}, {FeatureWakeUp, "wake-up"},
	}
	var parts []string
	rest := f
	for _, n := range names {
		if f&n.bit != 0 {
			parts = append(parts, n.name)
			rest &^= n.bit
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%08x", uint32(rest)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// Voltages of bVoltageSupport, and the bPowerSelect values that ask for them.
const (
	Voltage5V  = 0x01
	Voltage3V  = 0x02
	Voltage18V = 0x04

	PowerSelectAuto = 0x00
	PowerSelect5V   = 0x01
	PowerSelect3V   = 0x02
	PowerSelect18V  = 0x03
)

// Protocol bits of dwProtocols.
const (
	ProtocolT0 = 0x0001
	ProtocolT1 = 0x0002
)

// Descriptor is the CCID class descriptor, field by field (§5.1, Table 5.1-1).
type Descriptor struct {
	CCIDVersion      uint16 // bcdCCID, 0x0110 for rev 1.1
	MaxSlotIndex     uint8
	VoltageSupport   uint8
	Protocols        uint32
	DefaultClock     uint32 // kHz
	MaximumClock     uint32 // kHz
	NumClocks        uint8
	DataRate         uint32 // bps
	MaxDataRate      uint32 // bps
	NumDataRates     uint8
	MaxIFSD          uint32
	SynchProtocols   uint32
	Mechanical       uint32
	Features         Features
	MaxMessageLength uint32 // dwMaxCCIDMessageLength, header included
	ClassGetResponse uint8
	ClassEnvelope    uint8
	LCDLayout        uint16
	PINSupport       uint8
	MaxCCIDBusySlots uint8
}

// Slots returns the number of slots, bMaxSlotIndex+1.
func (d Descriptor) Slots() int { return int(d.MaxSlotIndex) + 1 }

// Level returns the exchange level of dwFeatures.
func (d Descriptor) Level() Level { return d.Features.Level() }

// minMessageLength is the smallest dwMaxCCIDMessageLength accepted: a header
// and a T=1 block with a few bytes of information. §5.1 requires room for a
// short APDU (271); readers that announce less are taken at their word above
// this floor.
const minMessageLength = HeaderLen + 4 + 16

// ParseDescriptor reads a CCID class descriptor, bLength and bDescriptorType
// included. Bytes past the 54 the specification defines are ignored.
func ParseDescriptor(b []byte) (Descriptor, error) {
	if len(b) < DescriptorLen || int(b[0]) < DescriptorLen || int(b[0]) > len(b) {
		return Descriptor{}, fmt.Errorf("%w: CCID class descriptor of %d bytes (bLength %d), want %d", ErrDescriptor, len(b), firstByte(b), DescriptorLen)
	}
	if b[1] != DescriptorTypeCCID {
		return Descriptor{}, fmt.Errorf("%w: bDescriptorType 0x%02x, want 0x%02x", ErrDescriptor, b[1], DescriptorTypeCCID)
	}
	le16 := func(i int) uint16 { return binary.LittleEndian.Uint16(b[i:]) }
	le32 := func(i int) uint32 { return binary.LittleEndian.Uint32(b[i:]) }
	d := Descriptor{
		CCIDVersion:      le16(2),
		MaxSlotIndex:     b[4],
		VoltageSupport:   b[5],
		Protocols:        le32(6),
		DefaultClock:     le32(10),
		MaximumClock:     le32(14),
		NumClocks:        b[18],
		DataRate:         le32(19),
		MaxDataRate:      le32(23),
		NumDataRates:     b[27],
		MaxIFSD:          le32(28),
		SynchProtocols:   le32(32),
		Mechanical:       le32(36),
		Features:         Features(le32(40)),
		MaxMessageLength: le32(44),
		ClassGetResponse: b[48],
		ClassEnvelope:    b[49],
		LCDLayout:        le16(50),
		PINSupport:       b[52],
		MaxCCIDBusySlots: b[53],
	}
	if d.MaxMessageLength < minMessageLength {
		return Descriptor{}, fmt.Errorf("%w: dwMaxCCIDMessageLength %d is too small to carry a command", ErrDescriptor, d.MaxMessageLength)
	}
	return d, nil
}

// Encode returns the 54 bytes of the descriptor, as a reader sends it.
func (d Descriptor) Encode() []byte {
	b := make([]byte, DescriptorLen)
	b[0], b[1] = DescriptorLen, DescriptorTypeCCID
	binary.LittleEndian.PutUint16(b[2:], d.CCIDVersion)
	b[4], b[5] = d.MaxSlotIndex, d.VoltageSupport
	binary.LittleEndian.PutUint32(b[6:], d.Protocols)
	binary.LittleEndian.PutUint32(b[10:], d.DefaultClock)
	binary.LittleEndian.PutUint32(b[14:], d.MaximumClock)
	b[18] = d.NumClocks
	binary.LittleEndian.PutUint32(b[19:], d.DataRate)
	binary.LittleEndian.PutUint32(b[23:], d.MaxDataRate)
	b[27] = d.NumDataRates
	binary.LittleEndian.PutUint32(b[28:], d.MaxIFSD)
	binary.LittleEndian.PutUint32(b[32:], d.SynchProtocols)
	binary.LittleEndian.PutUint32(b[36:], d.Mechanical)
	binary.LittleEndian.PutUint32(b[40:], uint32(d.Features))
	binary.LittleEndian.PutUint32(b[44:], d.MaxMessageLength)
	b[48], b[49] = d.ClassGetResponse, d.ClassEnvelope
	binary.LittleEndian.PutUint16(b[50:], d.LCDLayout)
	b[52], b[53] = d.PINSupport, d.MaxCCIDBusySlots
	return b
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(b[0])
}

// Standard descriptor types (USB 2.0 §9.4, Table 9-5).
const (
	descConfiguration = 0x02
	descInterface     = 0x04
)

// FindDescriptor looks in a configuration descriptor (the whole wTotalLength
// of it, as GET_DESCRIPTOR returns it) for the CCID class descriptor of the
// interface setting intf. §5.1 puts it right after the interface descriptor;
// some readers put it after the endpoint descriptors instead, so the whole
// span of the setting is searched. It fails with ErrDescriptor when the bytes
// do not parse and ErrNotReader when the setting has no CCID descriptor.
func FindDescriptor(config []byte, intf usb.InterfaceInfo) (Descriptor, error) {
	if len(config) < 9 || config[1] != descConfiguration {
		return Descriptor{}, fmt.Errorf("%w: not a configuration descriptor", ErrDescriptor)
	}
	if v := int(config[5]); v != intf.Config {
		return Descriptor{}, fmt.Errorf("%w: configuration descriptor of configuration %d, want %d", ErrDescriptor, v, intf.Config)
	}
	inSetting := false
	for i := 0; i < len(config); {
		n := int(config[i])
		if n < 2 || i+n > len(config) {
			return Descriptor{}, fmt.Errorf("%w: descriptor at offset %d has bLength %d, %d bytes remain", ErrDescriptor, i, n, len(config)-i)
		}
		d := config[i : i+n]
		switch d[1] {
		case descInterface:
			if n < 9 {
				return Descriptor{}, fmt.Errorf("%w: interface descriptor of %d bytes at offset %d", ErrDescriptor, n, i)
			}
			inSetting = int(d[2]) == intf.Number && int(d[3]) == intf.Alternate
		case DescriptorTypeCCID:
			if inSetting {
				return ParseDescriptor(d)
			}
		}
		i += n
	}
	return Descriptor{}, fmt.Errorf("%w: %s has no CCID class descriptor", ErrNotReader, intf)
}
