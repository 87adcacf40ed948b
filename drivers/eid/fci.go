package eid

// fci.go: what a SELECT answer says about the file selected: the FCP, FMD or FCI
// template of ISO/IEC 7816-4:2020 §7.4 (Tables 10 to 12).

import (
	"fmt"
)

// Templates a SELECT answer comes in (ISO/IEC 7816-4 §7.4.1).
const (
	TagFCP Tag = 0x62 // file control parameters
	TagFMD Tag = 0x64 // file management data
	TagFCI Tag = 0x6F // file control information: FCP and FMD together
)

// Data objects of the templates (ISO/IEC 7816-4 §7.4.3, Table 12).
const (
	TagFileSize       Tag = 0x80 // data bytes in the file, structure excluded
	TagFileSizeTotal  Tag = 0x81 // data bytes in the file, structure included
	TagFileDescriptor Tag = 0x82 // file descriptor byte, data coding byte, record sizes
	TagFileID         Tag = 0x83 // file identifier
	TagDFName         Tag = 0x84 // DF name: an application identifier
	TagLifeCycle      Tag = 0x8A // life cycle status byte
)

// FileInfo is what a SELECT answer says about a file; the zero value (Size -1
// apart) when the card answered no data.
type FileInfo struct {
	// Template is TagFCP, TagFMD or TagFCI; 0 for an empty answer.
	Template Tag
	// Size is the number of data bytes in the file, from tag 80, or else 81;
	// -1 when the answer gives neither.
	Size int
	// Descriptor is the file descriptor byte of tag 82; 0 when not given.
	Descriptor byte
	// MaxRecordSize and Records are the rest of tag 82 for record files; 0 when
	// not given.
	MaxRecordSize, Records int
	// FID is the file identifier of tag 83, when HasFID.
	FID    uint16
	HasFID bool
	// DFName is the application identifier of tag 84; nil when not given.
	DFName []byte
	// LifeCycle is the life cycle status byte of tag 8A; 0 when not given.
	LifeCycle byte
	// Objects are all the template's data objects, proprietary ones included.
	Objects []TLV
}

// IsDF reports whether the descriptor says the file is a DF (b6-b4 = 111,
// ISO/IEC 7816-4 Table 14).
func (f FileInfo) IsDF() bool { return f.Descriptor&0xB8 == 0x38 }

// IsTransparent reports whether the descriptor says the file is a transparent EF
// (b3-b1 = 001), read with READ BINARY.
func (f FileInfo) IsTransparent() bool { return f.Descriptor&0xBF == 0x01 }

// IsRecords reports whether the descriptor says the file is a record EF (linear
// or cyclic, b3-b1 = 010 to 111), read with READ RECORD.
func (f FileInfo) IsRecords() bool {
	return f.Descriptor&0xB8 == 0 && f.Descriptor&0x07 >= 2
}

// ParseFCI reads a SELECT answer. Empty data is an empty FileInfo. Otherwise the
// data must be exactly one template of TagFCP, TagFMD or TagFCI, parsed strictly
// (ParseTLV), and the data objects this package reads must have their lengths:
// 80 and 81 one to four bytes, 82 one to six, 83 two, 84 one to sixteen, 8A one.
// It fails with ErrFCI, wrapping ErrTLV for bad encoding.
func ParseFCI(b []byte) (FileInfo, error) {
	fi, err := parseFCI(b)
	return fi, prefixed(err)
}

func parseFCI(b []byte) (FileInfo, error) {
	fi := FileInfo{Size: -1}
	if len(b) == 0 {
		return fi, nil
	}
	objs, err := parseTLV(b)
	if err != nil {
		return fi, fmt.Errorf("%w: %w", ErrFCI, err)
	}
	if len(objs) != 1 {
		return fi, fmt.Errorf("%w: %d data objects, want one template", ErrFCI, len(objs))
	}
	t := objs[0]
	switch t.Tag {
	case TagFCP, TagFMD, TagFCI:
	default:
		return fi, fmt.Errorf("%w: template %s, want 62, 64 or 6F", ErrFCI, t.Tag)
	}
	fi.Template, fi.Objects = t.Tag, t.Children
	bad := func(o TLV) (FileInfo, error) {
		return FileInfo{Size: -1}, fmt.Errorf("%w: data object %s of %d bytes", ErrFCI, o.Tag, len(o.Value))
	}
	sizeFrom := Tag(0)
	for _, o := range t.Children {
		v := o.Value
		switch o.Tag {
		case TagFileSize, TagFileSizeTotal:
			if len(v) < 1 || len(v) > 4 {
				return bad(o)
			}
			// Tag 80 wins over 81 whatever their order; the first of each counts.
			if sizeFrom == 0 || sizeFrom == TagFileSizeTotal && o.Tag == TagFileSize {
				fi.Size, sizeFrom = bigEndian(v), o.Tag
			}
		case TagFileDescriptor:
			if len(v) < 1 || len(v) > 6 {
				return bad(o)
			}
			fi.Descriptor = v[0]
			// After the data coding byte: the maximum record size in one or two
			// bytes, then the number of records in one or two (Table 14 note).
			switch len(v) {
			case 3:
				fi.MaxRecordSize = int(v[2])
			case 4:
				fi.MaxRecordSize = bigEndian(v[2:4])
			case 5:
				fi.MaxRecordSize, fi.Records = bigEndian(v[2:4]), int(v[4])
			case 6:
				fi.MaxRecordSize, fi.Records = bigEndian(v[2:4]), bigEndian(v[4:6])
			}
		case TagFileID:
			if len(v) != 2 {
				return bad(o)
			}
			fi.FID, fi.HasFID = uint16(bigEndian(v)), true
		case TagDFName:
			if len(v) < 1 || len(v) > 16 {
				return bad(o)
			}
			fi.DFName = v
		case TagLifeCycle:
			if len(v) != 1 {
				return bad(o)
			}
			fi.LifeCycle = v[0]
		}
	}
	return fi, nil
}

// bigEndian reads up to four bytes as an unsigned number.
func bigEndian(b []byte) int {
	n := 0
	for _, c := range b {
		n = n<<8 | int(c)
	}
	return n
}
