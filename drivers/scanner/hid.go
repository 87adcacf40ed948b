package scanner

// hid.go: the HID class requests a scanner needs (HID 1.11 §7: GET_DESCRIPTOR for
// the HID and report descriptors, SET_PROTOCOL, SET_IDLE, SET_REPORT) and a walk
// over a report descriptor's items (§6.2.2) to find the usage pages it declares.

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/drivers/usb"
)

// HID interface codes (HID 1.11 §4.2, §4.3).
const (
	SubClassBoot     uint8 = 0x01
	ProtocolKeyboard uint8 = 0x01
)

// UsagePageBarCodeScanner is the Bar Code Scanner page of the HID Point of Sale
// Usage Tables 1.02.
const UsagePageBarCodeScanner = 0x8c

// HID requests and descriptor types.
const (
	requestGetDescriptor  uint8 = 0x06 // standard request
	requestSetReport      uint8 = 0x09
	requestSetIdle        uint8 = 0x0a
	requestSetProtocol    uint8 = 0x0b
	descriptorHID         uint8 = 0x21
	descriptorReport      uint8 = 0x22
	reportTypeFeature     uint8 = 0x03
	protocolBoot          uint8 = 0x00
	hidDescriptorLength         = 9
	reportDescriptorLimit       = 4096
)

// hidClass returns the setup packet of a HID class request to interface n.
func hidClass(request uint8, value uint16, n int) usb.Setup {
	return usb.Setup{RequestType: usb.RequestOut | usb.RequestClass | usb.RecipientInterface, Request: request, Value: value, Index: uint16(n)}
}

// hidDescriptor returns the setup packet that reads a HID class descriptor of
// interface n (HID 1.11 §7.1.1: a standard request to the interface).
func hidDescriptor(typ uint8, n int) usb.Setup {
	return usb.Setup{RequestType: usb.RequestIn | usb.RequestStandard | usb.RecipientInterface, Request: requestGetDescriptor, Value: uint16(typ) << 8, Index: uint16(n)}
}

// optional runs a request that a scanner may refuse: a stall or a timeout is not
// an error, anything else (the device gone, the context done) is.
func optional(err error) error {
	if err == nil || errors.Is(err, usb.ErrStall) || errors.Is(err, usb.ErrTimeout) {
		return nil
	}
	return err
}

// setBootProtocol asks a boot keyboard for the 8-byte boot reports and for no
// reports while nothing changes (SET_PROTOCOL boot, SET_IDLE 0).
func setBootProtocol(ctx context.Context, dev usb.Device, n int) error {
	if _, err := dev.Control(ctx, hidClass(requestSetProtocol, uint16(protocolBoot), n), nil); optional(err) != nil {
		return fmt.Errorf("SET_PROTOCOL: %w", err)
	}
	if _, err := dev.Control(ctx, hidClass(requestSetIdle, 0, n), nil); optional(err) != nil {
		return fmt.Errorf("SET_IDLE: %w", err)
	}
	return nil
}

// countryCode reads bCountryCode from interface n's HID descriptor; 0 when the
// device does not say.
func countryCode(ctx context.Context, dev usb.Device, n int) (uint8, error) {
	buf := make([]byte, hidDescriptorLength)
	k, err := dev.Control(ctx, hidDescriptor(descriptorHID, n), buf)
	if err != nil {
		return 0, optional(err)
	}
	if k < 5 || buf[1] != descriptorHID {
		return 0, nil
	}
	return buf[4], nil
}

// reportDescriptor reads interface n's report descriptor; nil when the device
// refuses.
func reportDescriptor(ctx context.Context, dev usb.Device, n int) ([]byte, error) {
	buf := make([]byte, reportDescriptorLimit)
	k, err := dev.Control(ctx, hidDescriptor(descriptorReport, n), buf)
	if err != nil {
		return nil, optional(err)
	}
	return buf[:k], nil
}

// setFeatureReport sends a feature report whose first byte is its report ID.
func setFeatureReport(ctx context.Context, dev usb.Device, n int, report []byte) error {
	if len(report) == 0 {
		return nil
	}
	_, err := dev.Control(ctx, hidClass(requestSetReport, uint16(reportTypeFeature)<<8|uint16(report[0]), n), report)
	return err
}

// UsagePages returns the usage pages a HID report descriptor declares (its Usage
// Page items, and the pages of extended 32-bit usages), in order of first
// appearance. It reads the items' framing only (HID 1.11 §6.2.2.2: short items of
// 0, 1, 2 or 4 data bytes; long items, 0xFE, skipped by their length) and stops
// at a truncated item.
func UsagePages(desc []byte) []uint16 {
	var pages []uint16
	add := func(p uint16) {
		for _, q := range pages {
			if q == p {
				return
			}
		}
		pages = append(pages, p)
	}
	for i := 0; i < len(desc); {
		prefix := desc[i]
		if prefix == 0xfe { // long item: size, tag, data
			if i+2 >= len(desc) {
				break
			}
			i += 3 + int(desc[i+1])
			continue
		}
		size := int(prefix & 0x03)
		if size == 3 {
			size = 4
		}
		if i+1+size > len(desc) {
			break
		}
		var v uint32
		for j := size - 1; j >= 0; j-- {
			v = v<<8 | uint32(desc[i+1+j])
		}
		typ, tag := (prefix>>2)&0x03, prefix>>4
		switch {
		case typ == 1 && tag == 0: // global Usage Page
			add(uint16(v))
		case typ == 2 && size == 4 && (tag == 0 || tag == 1 || tag == 2): // local Usage, Usage Minimum or Maximum, with the page in the high half
			add(uint16(v >> 16))
		}
		i += 1 + size
	}
	return pages
}

// declaresBarCodeScanner reports whether a report descriptor uses the Bar Code
// Scanner page.
func declaresBarCodeScanner(desc []byte) bool {
	for _, p := range UsagePages(desc) {
		if p == UsagePageBarCodeScanner {
			return true
		}
	}
	return false
}
