package config

// errors.go: how the configuration says what is wrong with it.

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
)

// ErrInvalid is matched by every error about the configuration's content.
var ErrInvalid = errors.New("config: invalid configuration")

// Error is one thing wrong with a configuration file: where, which key, and what.
type Error struct {
	File string // the file; empty for a Config not read from one
	Line int    // 1-based; 0 when the key is not written in the file
	Key  string // the dotted key ("registry.url"); empty for the file as a whole
	Msg  string
}

// Error reads "config: FILE:LINE: KEY: MSG", leaving out what is not known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("config: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// printable returns s with control and invisible characters escaped and cut to 80
// characters, for messages.
func printable(s string) string {
	const limit = 80
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			b.WriteString(strconv.QuoteRune(r))
		}
		n++
	}
	return b.String()
}
