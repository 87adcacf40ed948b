// Package ccidtest is a simulated CCID smart-card reader on a usbtest bus: a
// reader at TPDU, short APDU or extended APDU level whose slot takes a card that
// can be inserted and removed at any moment, and whose card answers APDUs
// through a callback (at TPDU level the simulated card speaks T=1 itself). It
// reports insertions and removals on its interrupt pipe, answers the ABORT
// sequence, and can be told to send time extensions, to hold its answers, to
// tamper with the next one, or to be unplugged. Tests use it to drive package
// ccid without hardware, and `make run` uses it as the kiosk's reader when no
// real one is attached.
//
//	fake := ccidtest.New(ccidtest.Config{VID: 0x0bda, PID: 0x0165, Level: ccid.LevelExtendedAPDU})
//	bus := usbtest.NewBus(fake.Device)
//	fake.Insert(&ccidtest.Card{ATR: ccidtest.EstEIDATR(), Answer: app})
//	r, err := ccid.Open(ctx, bus, usb.Match{}, ccid.Options{})
package ccidtest

// descriptors.go: the USB descriptors of the simulated reader, and the
// configuration descriptor bytes it answers GET_DESCRIPTOR with.

import (
	"encoding/binary"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/usb"
)

// Endpoint addresses of the simulated reader's CCID interface.
const (
	BulkOut     usb.EndpointAddress = 0x01
	BulkIn      usb.EndpointAddress = 0x82
	InterruptIn usb.EndpointAddress = 0x83
)

// Packet sizes, as on a full-speed port.
const (
	bulkPacket      = 64
	interruptPacket = 8
)

// Config describes the simulated reader. The zero Level is
// ccid.LevelCharacter, which package ccid refuses; tests mostly want
// LevelTPDU, LevelShortAPDU or LevelExtendedAPDU.
type Config struct {
	VID, PID     usb.ID
	Manufacturer string
	Product      string
	Serial       string
	Level        ccid.Level
	// Slots is the number of slots; 0 means 1.
	Slots int
	// MaxMessageLength is dwMaxCCIDMessageLength; 0 means 271 (a header and a
	// short APDU), so that long extended APDUs travel in chains.
	MaxMessageLength int
	// Features are dwFeature bits added to those of the level.
	Features ccid.Features
	// NoAutoVoltage leaves the automatic voltage selection out of dwFeatures;
	// IccPowerOn must then name a voltage, which the reader checks.
	NoAutoVoltage bool
	// NoInterrupt leaves the interrupt endpoint out.
	NoInterrupt bool
}

func (cfg Config) slots() int { return max(1, cfg.Slots) }

func (cfg Config) maxMessage() int {
	if cfg.MaxMessageLength > 0 {
		return cfg.MaxMessageLength
	}
	return 271
}

// Descriptor returns the CCID class descriptor of a reader made as cfg says:
// 5 V, 3 V and 1.8 V, T=0 and T=1, a 4 MHz clock, and the dwFeatures of its
// level (automatic parameters from the ATR, voltage, clock, baud rate and PPS;
// at APDU levels the IFSD exchange as well).
func Descriptor(cfg Config) ccid.Descriptor {
	f := ccid.FeatureAutoParameters | ccid.FeatureAutoVoltage | ccid.FeatureAutoClock |
		ccid.FeatureAutoBaudRate | ccid.FeatureAutoPPS
	switch cfg.Level {
	case ccid.LevelTPDU:
		f |= ccid.FeatureLevelTPDU
	case ccid.LevelShortAPDU:
		f |= ccid.FeatureLevelShortAPDU | ccid.FeatureAutoIFSD
	case ccid.LevelExtendedAPDU:
		f |= ccid.FeatureLevelExtendedAPDU | ccid.FeatureAutoIFSD
	}
	if cfg.NoAutoVoltage {
		f &^= ccid.FeatureAutoVoltage
	}
	return ccid.Descriptor{
		CCIDVersion:      0x0110,
		MaxSlotIndex:     uint8(cfg.slots() - 1),
		VoltageSupport:   ccid.Voltage5V | ccid.Voltage3V | ccid.Voltage18V,
		Protocols:        ccid.ProtocolT0 | ccid.ProtocolT1,
		DefaultClock:     4000,
		MaximumClock:     4000,
		DataRate:         10752,
		MaxDataRate:      344100,
		MaxIFSD:          254,
		Features:         f | cfg.Features,
		MaxMessageLength: uint32(cfg.maxMessage()),
		ClassGetResponse: 0xff,
		ClassEnvelope:    0xff,
		MaxCCIDBusySlots: 1,
	}
}

// Descriptors returns the device descriptors of a reader made as cfg says:
// configuration 1 with the CCID interface 0 (class 0x0B, protocol 0): bulk OUT
// 0x01, bulk IN 0x82 and, unless cfg.NoInterrupt, interrupt IN 0x83.
func Descriptors(cfg Config) usb.DeviceInfo {
	eps := []usb.EndpointInfo{
		{Address: BulkOut, Type: usb.Bulk, MaxPacketSize: bulkPacket},
		{Address: BulkIn, Type: usb.Bulk, MaxPacketSize: bulkPacket},
	}
	if !cfg.NoInterrupt {
		eps = append(eps, usb.EndpointInfo{Address: InterruptIn, Type: usb.Interrupt, MaxPacketSize: interruptPacket})
	}
	return usb.DeviceInfo{
		VID: cfg.VID, PID: cfg.PID,
		Manufacturer: cfg.Manufacturer, Product: cfg.Product, Serial: cfg.Serial,
		Interfaces: []usb.InterfaceInfo{{
			Config: 1, Number: 0, Class: usb.ClassSmartCard, Endpoints: eps,
		}},
	}
}

// ConfigDescriptor returns the configuration descriptor the reader answers
// GET_DESCRIPTOR with (USB 2.0 §9.6.3): the configuration, the interface, the
// CCID class descriptor right after it (CCID rev 1.1 §5.1), the endpoints.
func ConfigDescriptor(cfg Config) []byte {
	info := Descriptors(cfg)
	intf := info.Interfaces[0]
	var body []byte
	body = append(body, 9, 0x04, byte(intf.Number), byte(intf.Alternate), byte(len(intf.Endpoints)),
		byte(intf.Class), intf.SubClass, intf.Protocol, 0)
	body = append(body, Descriptor(cfg).Encode()...)
	for _, ep := range intf.Endpoints {
		interval := byte(0)
		if ep.Type == usb.Interrupt {
			interval = 0x10
		}
		body = append(body, 7, 0x05, byte(ep.Address), byte(ep.Type), 0, 0, interval)
		binary.LittleEndian.PutUint16(body[len(body)-3:], uint16(ep.MaxPacketSize))
	}
	head := []byte{9, 0x02, 0, 0, 1, 1, 0, 0xa0, 0x32}
	binary.LittleEndian.PutUint16(head[2:], uint16(9+len(body)))
	return append(head, body...)
}
