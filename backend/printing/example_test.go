package printing_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"certkiosk/backend/printing"
)

// Print a document exactly once: ask the printer first whether it already holds a
// job under the document's key (a crash may have come between sending and
// recording), send it only if not, and follow the job until it is done.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "printed")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// With no printer configured, the kiosk prints into a folder.
	p, err := printing.Open("", printing.Options{DefaultFolder: dir})
	if err != nil {
		log.Fatal(err)
	}
	doc := printing.Document{Key: "job-42", PDF: []byte("%PDF-1.7\n...")}
	for attempt := 1; attempt <= 2; attempt++ {
		ref, st, found, err := p.FindJob(ctx, doc.Key)
		if err != nil {
			log.Fatal(err) // ErrNoJobHistory: the printer cannot tell; ask staff
		}
		if !found {
			if ref, err = p.Print(ctx, doc); err != nil {
				log.Fatal(err) // ErrUnavailable: keep the job queued and try later
			}
			if st, err = printing.FollowJob(ctx, p, ref, printing.FollowOptions{}); err != nil {
				log.Fatal(err)
			}
		}
		fmt.Printf("attempt %d: already there %v, %s\n", attempt, found, st.State)
	}
	entries, _ := os.ReadDir(dir)
	fmt.Println(len(entries), filepath.Ext(entries[0].Name()))
	// Output:
	// attempt 1: already there false, completed
	// attempt 2: already there true, completed
	// 1 .pdf
}
