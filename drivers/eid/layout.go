package eid

// layout.go: the generations of the Estonian ID card, as data: where each keeps
// its personal data and its authentication certificate, how it encodes text and
// how it wants PIN1. doc.go says where each fact comes from.

import (
	"context"
	"errors"
	"fmt"
)

// Layout is a generation of the Estonian ID card, told apart by its files.
type Layout int

// The layouts, in the order Detect tries them.
const (
	LayoutUnknown Layout = iota
	// LayoutIDEMIA: cards issued from December 2018 (IDEMIA Cosmo 8.1/8.2, then
	// Cosmo X): an application by AID, one transparent EF per field under DF
	// 5000, text in UTF-8, dates "DD MM YYYY".
	LayoutIDEMIA
	// LayoutThales: cards issued from 2025 (Thales IAS Classic 5.2.1): the
	// PKCS#15 application by AID, the same fields under DF DFDD.
	LayoutThales
	// LayoutEstEID3: EstEID 3.x cards (2011 to 2018, all expired by now): DF
	// EEEE, the record file 5044 with 16 records, text in Windows-1252, dates
	// "DD.MM.YYYY".
	LayoutEstEID3
)

// layouts lists the known layouts in the order Detect tries them: the cards in
// circulation first.
func layouts() []Layout { return []Layout{LayoutIDEMIA, LayoutThales, LayoutEstEID3} }

// String names the layout.
func (l Layout) String() string {
	switch l {
	case LayoutIDEMIA:
		return "IDEMIA 2018"
	case LayoutThales:
		return "Thales 2025"
	case LayoutEstEID3:
		return "EstEID 3.x"
	}
	return "unknown"
}

// AIDs and file identifiers of the layouts.
const (
	aidIDEMIA = "\xA0\x00\x00\x00\x77\x01\x08\x00\x07\x00\x00\xFE\x00\x00\x01\x00" // the "AWP" application
	aidThales = "\xA0\x00\x00\x00\x63PKCS-15"                                      // A000000063 504B43532D3135

	fidMF            = 0x3F00
	fidIDEMIAData    = 0x5000 // DF of the personal data fields, EF 5001 to 500F
	fidThalesData    = 0xDFDD // the same, on Thales cards
	fidEstEID3DF     = 0xEEEE
	fidEstEID3Data   = 0x5044 // the personal data record file
	fidIDEMIAAuthDF  = 0xADF1
	fidIDEMIAAuth    = 0x3401
	fidThalesAuth    = 0x3411 // under DF ADF1 too
	fidEstEID3Auth   = 0xAACE
	fieldFIDBase     = 0x5000 // field n of a transparent layout is EF 5000+n
	transparentCount = 15     // EF 5001 to 500F
	recordCount      = 16     // records 1 to 16 of EF 5044
)

// step is one SELECT.
type step struct {
	by SelectBy
	id []byte
}

// layoutSpec is where a layout keeps things.
type layoutSpec struct {
	// app selects the application; dataDF then the DF (or, for records, the
	// EF) of the personal data. A card of another layout answers the first
	// steps with "not found".
	app, dataDF []step
	// records: the personal data is one record EF, not one EF per field.
	records bool
	// windows1252: text is in Windows-1252, not UTF-8.
	windows1252 bool
	// auth selects the authentication certificate's EF after app.
	auth []step
	// pin1 is PIN1, the authentication PIN.
	pin1 PINFormat
}

func specOf(l Layout) layoutSpec {
	switch l {
	case LayoutIDEMIA:
		return layoutSpec{
			app:    []step{{ByDFName, []byte(aidIDEMIA)}},
			dataDF: []step{{ChildDF, FID(fidIDEMIAData)}},
			auth:   []step{{PathFromCurrent, Path(fidIDEMIAAuthDF, fidIDEMIAAuth)}},
			pin1:   PINFormat{Name: "PIN1", Ref: 0x01, MinLen: 4, MaxLen: 12, PadTo: 12, PadByte: 0xFF},
		}
	case LayoutThales:
		return layoutSpec{
			app:    []step{{ByDFName, []byte(aidThales)}},
			dataDF: []step{{PathFromMF, Path(fidThalesData)}},
			auth:   []step{{PathFromMF, Path(fidIDEMIAAuthDF, fidThalesAuth)}},
			// PIN1 of these cards is not known here.
		}
	case LayoutEstEID3:
		return layoutSpec{
			app:         []step{{ByFID, nil}, {ChildDF, FID(fidEstEID3DF)}},
			dataDF:      []step{{ChildEF, FID(fidEstEID3Data)}},
			records:     true,
			windows1252: true,
			auth:        []step{{ChildEF, FID(fidEstEID3Auth)}},
			pin1:        PINFormat{Name: "PIN1", Ref: 0x01, MinLen: 4, MaxLen: 12},
		}
	}
	return layoutSpec{}
}

// PIN1 returns how a card of the layout wants PIN1, the authentication PIN; false
// when that is not known.
func (l Layout) PIN1() (PINFormat, bool) {
	s := specOf(l)
	return s.pin1, s.pin1.Name != ""
}

// notHere reports whether a SELECT failed because the card has no such file or
// application, as a card of another layout does, rather than for a reason that
// makes trying the next layout pointless.
func notHere(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	switch se.SW {
	case SWFileNotFound, SWWrongP1P2, SWFunctionNotSupported, SWWrongData, SWINSNotSupported, SWCLANotSupported, 0x6283, 0x6999:
		return true
	}
	return false
}

// run selects each step in turn, the last one with ans.
func run(ctx context.Context, card Card, steps []step, ans Answer) (FileInfo, error) {
	fi := FileInfo{Size: -1}
	for i, s := range steps {
		a := NoAnswer
		if i == len(steps)-1 {
			a = ans
		}
		var err error
		if fi, err = selectFile(ctx, card, s.by, s.id, a); err != nil {
			return fi, err
		}
	}
	return fi, nil
}

// Detect finds the card's layout by selecting each layout's application and
// personal data file in turn, and leaves that file selected. It fails with
// ErrNotEstEID when no layout's files are there.
func Detect(ctx context.Context, card Card) (Layout, error) {
	l, _, err := detect(ctx, card)
	return l, prefixed(err)
}

// detect is Detect that also returns what selecting the personal data file
// answered.
func detect(ctx context.Context, card Card) (Layout, FileInfo, error) {
	for _, l := range layouts() {
		s := specOf(l)
		fi, err := enterData(ctx, card, s)
		switch {
		case err == nil:
			return l, fi, nil
		case !notHere(err):
			return LayoutUnknown, fi, fmt.Errorf("looking for the %s layout: %w", l, err)
		}
	}
	return LayoutUnknown, FileInfo{Size: -1}, ErrNotEstEID
}

// enterData selects the layout's application and personal data file; a record
// file with its control information, for its record count.
func enterData(ctx context.Context, card Card, s layoutSpec) (FileInfo, error) {
	if _, err := run(ctx, card, s.app, NoAnswer); err != nil {
		return FileInfo{Size: -1}, err
	}
	ans := NoAnswer
	if s.records {
		ans = WithFCP
	}
	return run(ctx, card, s.dataDF, ans)
}
