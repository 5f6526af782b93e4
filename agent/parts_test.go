package agent

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

func TestSandboxID(t *testing.T) {
	safe := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,75}$`)
	seen := map[string]string{}
	for _, id := range []string{"job-1/0/1", "job-1/0/2", "job_1/0/1", "job-1-0-1", "../../etc/1/1",
		strings.Repeat("very-long-name", 10) + "/99999/10", "ünïcode/1/1"} {
		s := sandboxID(id)
		if !safe.MatchString(s) {
			t.Errorf("sandboxID(%q) = %q: not a safe name", id, s)
		}
		if other, dup := seen[s]; dup {
			t.Errorf("sandboxID(%q) = sandboxID(%q) = %q", id, other, s)
		}
		seen[s] = id
		if sandboxID(id) != s {
			t.Errorf("sandboxID(%q) is not stable", id)
		}
	}
}

func TestReadTempC(t *testing.T) {
	root := t.TempDir()
	zone := func(name, content string) {
		dir := filepath.Join(root, "sys", "class", "thermal", name)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "temp"), []byte(content), 0o644)
		os.WriteFile(filepath.Join(dir, "type"), []byte(name+"\n"), 0o644)
	}
	if got := readTempNow(root); got != nil {
		t.Fatalf("no zones: %v", *got)
	}
	if got := readTempC(root); got != nil {
		t.Fatalf("no zones: %v", *got)
	}
	zone("thermal_zone0", "48250\n")
	zone("thermal_zone1", "61000\n")
	zone("thermal_zone2", "garbage\n")
	zone("thermal_zone3", "-273000\n") // a disconnected sensor
	got := readTempNow(root)
	if got == nil || *got != 61 {
		t.Fatalf("readTempNow = %v, want the hottest zone, 61", got)
	}
	// The host's readings are kept for a second (hearth-sim's thousands
	// of agents share them), then read again.
	if got := readTempC(root); got != nil && hostReadingsFor > 0 {
		t.Fatalf("readTempC = %v within a second of reading no zone, want the kept reading (none)", *got)
	}
	time.Sleep(hostReadingsFor)
	if got := readTempC(root); got == nil || *got != 61 {
		t.Fatalf("readTempC = %v a second later, want 61", got)
	}
}

func TestCommitterCoalescesAndIsolatesFailures(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &committer{db: db}
	bad := errors.New("bad write")
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.do(func(tx *store.Tx) error {
				if i == 7 {
					return bad
				}
				return tx.Put("b", string(rune('A'+i)), []byte{byte(i)})
			})
		}()
	}
	wg.Wait()
	n := 0
	db.View(func(tx *store.Tx) error { n = tx.Count("b"); return nil })
	for i, err := range errs {
		if (i == 7) != errors.Is(err, bad) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if n != 49 {
		t.Fatalf("%d keys written, want 49 (all but the failing one)", n)
	}
}

func TestOutboxReportBound(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	j := newJournal(db)
	big := make([]byte, 60<<10)
	var rs []api.TaskResult
	for i := range 200 {
		rs = append(rs, api.TaskResult{LeaseID: fmt.Sprintf("job/%03d/1", i), Stdout: big, Stderr: big})
	}
	if err := j.finishAll(rs); err != nil {
		t.Fatal(err)
	}
	got, err := j.unsent(maxReport, nil)
	if err != nil || len(got) == 0 || len(got) >= 200 {
		t.Fatalf("one report of %d results, %v", len(got), err)
	}
	all, _ := j.unsent(-1, func(id string) bool { return id == rs[0].LeaseID })
	if len(all) != 199 || j.unsentCount() != 200 {
		t.Fatalf("unsent(-1) skipping one = %d, count %d", len(all), j.unsentCount())
	}
}

func TestBackoff(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second}
	var last time.Duration
	for range 10 {
		last = b.next()
		if last <= 0 || last > time.Second {
			t.Fatalf("delay %v out of bounds", last)
		}
	}
	if last < 750*time.Millisecond {
		t.Fatalf("delay after 10 tries %v, want near the cap", last)
	}
	b.reset()
	if d := b.next(); d > 100*time.Millisecond {
		t.Fatalf("delay after reset %v", d)
	}
}
