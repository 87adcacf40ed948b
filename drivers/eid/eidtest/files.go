package eidtest

// files.go: the card's file system, laid out as each layout lays it out, with
// the holder's data written as each layout writes it.

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"certkiosk/drivers/eid"
)

// node is a DF or an EF.
type node struct {
	fid      uint16
	aid      []byte // DF name, for selection by AID
	df       bool
	data     []byte   // a transparent EF
	records  [][]byte // a record EF
	children []*node
	parent   *node
	// sizeTag is the tag the file size is given with in the control
	// parameters: 80, or 85 as EstEID 3.x cards do (proprietary, which readers
	// cannot rely on).
	sizeTag eid.Tag
}

func (n *node) add(children ...*node) *node {
	for _, c := range children {
		c.parent = n
		n.children = append(n.children, c)
	}
	return n
}

func (n *node) child(fid uint16) *node {
	for _, c := range n.children {
		if c.fid == fid {
			return c
		}
	}
	return nil
}

// byName finds the DF with the name in the tree under n.
func (n *node) byName(aid []byte) *node {
	if n.df && n.aid != nil && bytes.Equal(n.aid, aid) {
		return n
	}
	for _, c := range n.children {
		if f := c.byName(aid); f != nil {
			return f
		}
	}
	return nil
}

// fcp is the value of the node's FCP template (ISO/IEC 7816-4 §7.4.3).
func (n *node) fcp() []byte {
	var v []byte
	switch {
	case n.df:
		v = eid.AppendTLV(v, eid.TagFileDescriptor, []byte{0x38})
	case n.records != nil:
		longest := 0
		for _, r := range n.records {
			longest = max(longest, len(r))
		}
		// Linear variable records: descriptor 04, data coding 21, the longest
		// record in two bytes, the number of records in one.
		v = eid.AppendTLV(v, eid.TagFileDescriptor, []byte{0x04, 0x21, byte(longest >> 8), byte(longest), byte(len(n.records))})
	default:
		size := []byte{byte(len(n.data) >> 8), byte(len(n.data))}
		if n.sizeTag != 0 {
			v = eid.AppendTLV(v, n.sizeTag, size)
		}
		v = eid.AppendTLV(v, eid.TagFileDescriptor, []byte{0x01})
	}
	v = eid.AppendTLV(v, eid.TagFileID, []byte{byte(n.fid >> 8), byte(n.fid)})
	if n.aid != nil {
		v = eid.AppendTLV(v, eid.TagDFName, n.aid)
	}
	return eid.AppendTLV(v, eid.TagLifeCycle, []byte{0x05}) // operational, activated
}

// named gives a DF its name, an AID.
func named(n *node, aid string) *node {
	n.aid = []byte(aid)
	return n
}

// fieldsDF is the DF of a transparent layout's personal data, EF 5001 on.
func fieldsDF(fid uint16, fields [][]byte) *node {
	d := df(fid)
	for i, f := range fields {
		if f != nil {
			d.add(ef(uint16(0x5001+i), f))
		}
	}
	return d
}

func df(fid uint16, children ...*node) *node { return (&node{fid: fid, df: true}).add(children...) }

func ef(fid uint16, data []byte) *node { return &node{fid: fid, data: data, sizeTag: eid.TagFileSize} }

// AIDs and file identifiers, as package eid's documentation gives them.
const (
	aidIDEMIA = "\xA0\x00\x00\x00\x77\x01\x08\x00\x07\x00\x00\xFE\x00\x00\x01\x00"
	aidThales = "\xA0\x00\x00\x00\x63PKCS-15"
	aidQSCD   = "QSCD Application" // IDEMIA's signing application, here only to be there
)

// buildFiles lays out the card's files.
func buildFiles(l eid.Layout, h eid.PersonalData, cert []byte, override map[int][]byte) (*node, error) {
	// Certificate files are longer than the certificates in them.
	certFile := append(bytes.Clone(cert), make([]byte, 64)...)
	switch l {
	case eid.LayoutIDEMIA:
		fields, err := transparentFields(h)
		if err != nil {
			return nil, err
		}
		replace(fields, override)
		// The AWP application is taken to be the MF: SELECT by its AID, then a
		// path from there to DF ADF1, reaches the certificate.
		mf := df(0x3F00, fieldsDF(0x5000, fields), df(0xADF1, ef(0x3401, certFile)), named(df(0xADF2), aidQSCD))
		return named(mf, aidIDEMIA), nil
	case eid.LayoutThales:
		fields, err := transparentFields(h)
		if err != nil {
			return nil, err
		}
		replace(fields, override)
		return df(0x3F00, named(df(0x5015), aidThales), fieldsDF(0xDFDD, fields), df(0xADF1, ef(0x3411, certFile)), df(0xADF2)), nil
	case eid.LayoutEstEID3:
		records, err := estEID3Records(h)
		if err != nil {
			return nil, err
		}
		replace(records, override)
		for i, r := range records {
			if r == nil {
				records = records[:i]
				break
			}
		}
		auth := ef(0xAACE, append(bytes.Clone(cert), make([]byte, max(0, 0x600-len(cert)))...))
		auth.sizeTag = 0x85
		return df(0x3F00, df(0xEEEE, &node{fid: 0x5044, records: records}, auth)), nil
	}
	return nil, fmt.Errorf("eidtest: layout %s", l)
}

// replace puts the overriding bytes in place of fields, numbered from 1.
func replace(fields [][]byte, override map[int][]byte) {
	for n, b := range override {
		if n >= 1 && n <= len(fields) {
			fields[n-1] = b
		}
	}
}

// transparentFields writes EF 5001 to 500F of the IDEMIA layout: UTF-8 text,
// dates "DD MM YYYY", an empty field as one 00 byte.
func transparentFields(h eid.PersonalData) ([][]byte, error) {
	birth, err := cardDate(h.BirthDate, ' ')
	if err != nil {
		return nil, err
	}
	if birth != "" && h.BirthPlace != "" {
		birth += " " + h.BirthPlace
	}
	expiry, err := cardDate(h.Expiry, ' ')
	if err != nil {
		return nil, err
	}
	issued, err := cardDate(h.Issued, ' ')
	if err != nil {
		return nil, err
	}
	issued = strings.TrimSpace(issued + " " + h.IssuedBy)
	texts := []string{h.Surname, h.GivenNames, h.Sex, h.Citizenship, birth, h.PersonalCode,
		h.DocumentNumber, expiry, issued, h.ResidencePermitType}
	for i := 0; i < 5; i++ {
		if i < len(h.Notes) {
			texts = append(texts, h.Notes[i])
		} else {
			texts = append(texts, "")
		}
	}
	out := make([][]byte, len(texts))
	for i, t := range texts {
		if t == "" {
			out[i] = []byte{0x00}
		} else {
			out[i] = []byte(t)
		}
	}
	return out, nil
}

// estEID3Records writes the 16 records of EF 5044: Windows-1252 text, dates
// "DD.MM.YYYY", the given names over two lines of at most 15 characters.
func estEID3Records(h eid.PersonalData) ([][]byte, error) {
	birth, err := cardDate(h.BirthDate, '.')
	if err != nil {
		return nil, err
	}
	expiry, err := cardDate(h.Expiry, '.')
	if err != nil {
		return nil, err
	}
	issued, err := cardDate(h.Issued, '.')
	if err != nil {
		return nil, err
	}
	given1, given2 := h.GivenNames, ""
	if r := []rune(given1); len(r) > 15 {
		if i := strings.LastIndex(string(r[:16]), " "); i > 0 {
			given1, given2 = given1[:i], given1[i+1:]
		}
	}
	texts := []string{h.Surname, given1, given2, h.Sex, h.Citizenship, birth, h.PersonalCode,
		h.DocumentNumber, expiry, h.BirthPlace, strings.TrimSpace(issued + " " + h.IssuedBy), h.ResidencePermitType}
	for i := 0; i < 4; i++ {
		if i < len(h.Notes) {
			texts = append(texts, h.Notes[i])
		} else {
			texts = append(texts, "")
		}
	}
	out := make([][]byte, len(texts))
	for i, t := range texts {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(t))
		if err != nil {
			return nil, fmt.Errorf("eidtest: record %d %q has characters Windows-1252 lacks: %w", i+1, t, err)
		}
		if len(b) == 0 {
			b = []byte{' '}
		}
		out[i] = b
	}
	return out, nil
}

// cardDate writes YYYY-MM-DD as the card does: DD, MM and YYYY separated by sep.
func cardDate(date string, sep byte) (string, error) {
	if date == "" {
		return "", nil
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", fmt.Errorf("eidtest: date %q: %w", date, err)
	}
	s := string(sep)
	return t.Format("02" + s + "01" + s + "2006"), nil
}
