package image

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/diskfs/go-diskfs/partition/mbr"
)

// A boot partition as Build makes it (mkfs.vfat, mcopy) is read and
// written in place; what mtools then reads is what was written, and the
// other files are untouched.
func TestBootFile(t *testing.T) {
	for _, tool := range []string{"mkfs.vfat", "mcopy", "mtype"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: apt-get install dosfstools mtools", tool)
		}
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	// Longer than a cluster (512 bytes here) and not a whole number of
	// them: go-diskfs read such a file past its end in pieces.
	template := bytes.Repeat([]byte("# template\r\n"), 150)
	os.WriteFile(filepath.Join(src, "hearth.txt"), template, 0o644)
	os.WriteFile(filepath.Join(src, "boot.scr"), bytes.Repeat([]byte("x"), 5000), 0o644)
	fat := filepath.Join(dir, "boot.img")
	if err := mkfat(t.Context(), fat, src, 40); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "disk.img")
	f, _ := os.Create(img)
	if err := copyAt(f, fat, firstSector*512, 40*mib); err != nil {
		t.Fatal(err)
	}
	total := int64(firstSector*512 + 40*mib)
	f.Truncate(total)
	table := &mbr.Table{LogicalSectorSize: 512, PhysicalSectorSize: 512,
		Partitions: []*mbr.Partition{{Type: mbr.Fat32LBA, Start: firstSector, Size: 40 * mib / 512, Bootable: true}}}
	if err := table.Write(f, total); err != nil {
		t.Fatal(err)
	}
	f.Close()

	got, err := ReadBootFile(img, "hearth.txt")
	if err != nil || !bytes.Equal(got, template) {
		t.Fatalf("ReadBootFile = %d bytes, %v; want the %d written", len(got), err, len(template))
	}
	want := []byte("token = hearth1.abc\r\nname = kitchen\r\n")
	if err := WriteBootFile(img, "hearth.txt", want); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadBootFile(img, "hearth.txt"); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("after writing, ReadBootFile = %q, %v", got, err)
	}
	// mtools reads the partition at its offset: the file system is sound
	// for others too.
	out, err := exec.Command("mtype", "-i", img+"@@"+"1048576", "::/hearth.txt").CombinedOutput()
	if err != nil || !bytes.Equal(out, want) {
		t.Fatalf("mtype = %q, %v", out, err)
	}
	out, err = exec.Command("mtype", "-i", img+"@@"+"1048576", "::/boot.scr").Output()
	if err != nil || len(out) != 5000 {
		t.Fatalf("boot.scr after the write: %d bytes, %v", len(out), err)
	}
	if _, err := ReadBootFile(img+".xz", "hearth.txt"); err == nil {
		t.Error("a compressed image was read")
	}
}
