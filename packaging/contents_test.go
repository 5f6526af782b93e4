package packaging

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// file is what a package must hold at a path.
type file struct {
	mode string // as `dpkg-deb --contents` prints it
}

var (
	exe  = file{"-rwxr-xr-x"}
	data = file{"-rw-r--r--"}
	dir  = file{"drwxr-xr-x"}
)

// want is every entry of each package: nothing more, nothing less.
func want(pkg string) map[string]file {
	doc := "./usr/share/doc/" + pkg + "/"
	m := map[string]file{
		"./": dir, "./usr/": dir, "./usr/bin/": dir, "./usr/share/": dir, "./usr/share/doc/": dir, doc: dir,
		doc + "copyright": data, doc + "changelog.gz": data,
		"./usr/share/lintian/": dir, "./usr/share/lintian/overrides/": dir, "./usr/share/lintian/overrides/" + pkg: data,
		"./usr/bin/" + pkg: exe,
	}
	if pkg == "hearth" {
		return m
	}
	for _, d := range []string{"./etc/", "./etc/default/", "./lib/", "./lib/systemd/", "./lib/systemd/system/"} {
		m[d] = dir
	}
	m["./lib/systemd/system/"+pkg+".service"] = data
	m["./etc/default/"+pkg] = data
	if pkg == "hearth-agent" {
		m["./etc/default/hearth-agent"] = file{"-rw-------"} // it may hold the join token
		m["./usr/libexec/"], m["./usr/libexec/hearth/"] = dir, dir
		m["./usr/libexec/hearth/hearth-agent-start"] = exe
		m["./usr/libexec/hearth/hearth-update"] = exe // the signed updater, and its supervisor
	}
	return m
}

func TestDebContents(t *testing.T) {
	b := debs(t)
	for _, arch := range b.arches {
		for _, pkg := range packages {
			deb := b.deb(pkg, arch)
			out, err := exec.Command("dpkg-deb", "--contents", deb).Output()
			if err != nil {
				t.Fatalf("dpkg-deb --contents %s: %v", deb, err)
			}
			w := want(pkg)
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				// -rwxr-xr-x root/root  12345 2026-12-05 23:04 ./usr/bin/hearth
				f := strings.Fields(line)
				if len(f) != 6 {
					t.Errorf("%s: unexpected line %q", filepath.Base(deb), line)
					continue
				}
				mode, owner, path := f[0], f[1], f[5]
				if owner != "root/root" {
					t.Errorf("%s: %s owned by %s, want root/root", filepath.Base(deb), path, owner)
				}
				wf, ok := w[path]
				if !ok {
					t.Errorf("%s: unexpected %s", filepath.Base(deb), path)
					continue
				}
				delete(w, path)
				if mode != wf.mode {
					t.Errorf("%s: %s has mode %s, want %s", filepath.Base(deb), path, mode, wf.mode)
				}
			}
			for path := range w {
				t.Errorf("%s: %s missing", filepath.Base(deb), path)
			}
		}
	}
}

func TestDebControl(t *testing.T) {
	b := debs(t)
	if !regexp.MustCompile(`^[0-9][A-Za-z0-9.+~]*$`).MatchString(b.debVersion) {
		t.Errorf("Debian version %q: must start with a digit and hold only letters, digits and .+~", b.debVersion)
	}
	if hash := regexp.MustCompile(`^([0-9a-f]{7,})(-dirty)?$`).FindStringSubmatch(b.version); hash != nil &&
		!regexp.MustCompile(`^0\.0~git[0-9]{14}\.`+hash[1]+`(\+dirty)?$`).MatchString(b.debVersion) {
		t.Errorf("untagged build %s got Debian version %s, want 0.0~git<commit time>.%s", b.version, b.debVersion, hash[1])
	}
	fields := map[string]map[string]string{
		"hearth-agent":   {"Recommends": "runc", "Suggests": "containerd", "Depends": "", "Section": "net"},
		"hearth-gateway": {"Recommends": "hearth", "Suggests": "", "Depends": "", "Section": "net"},
		"hearth":         {"Recommends": "", "Suggests": "", "Depends": "", "Section": "net"},
	}
	for _, arch := range b.arches {
		for _, pkg := range packages {
			deb := b.deb(pkg, arch)
			dir := control(t, deb)
			ctl := parseControl(t, filepath.Join(dir, "control"))
			w := fields[pkg]
			w["Package"], w["Version"], w["Architecture"], w["Priority"] = pkg, b.debVersion, arch, "optional"
			for k, v := range w {
				if ctl[k] != v {
					t.Errorf("%s: %s: %q, want %q", filepath.Base(deb), k, ctl[k], v)
				}
			}
			if ctl["Maintainer"] == "" || !strings.Contains(ctl["Description"], "\n") {
				t.Errorf("%s: Maintainer %q, Description %q: want both, the description with a long part", filepath.Base(deb), ctl["Maintainer"], ctl["Description"])
			}
			// Installed-Size is in KiB: the programs are most of it (the
			// agent's package holds the updater too).
			kib, err := strconv.Atoi(ctl["Installed-Size"])
			var size int64
			serr := filepath.WalkDir(extract(t, deb), func(path string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					info, ierr := d.Info()
					if ierr != nil {
						return ierr
					}
					size += info.Size()
				}
				return err
			})
			if err != nil || serr != nil || int64(kib)*1024 < size || int64(kib)*1024 > size+64<<10 {
				t.Errorf("%s: Installed-Size %q KiB for files of %d bytes (%v)", filepath.Base(deb), ctl["Installed-Size"], size, serr)
			}
			checkControlFiles(t, pkg, dir)
			if packed, err := os.Stat(deb); err == nil {
				t.Logf("%-52s %6.2f MiB, installed %6.2f MiB", filepath.Base(deb), float64(packed.Size())/(1<<20), float64(kib)/1024)
			}
		}
	}
}

// checkControlFiles checks the conffiles, the md5sums and the maintainer
// scripts of one package.
func checkControlFiles(t *testing.T, pkg, dir string) {
	t.Helper()
	names, _ := os.ReadDir(dir)
	var got []string
	for _, n := range names {
		got = append(got, n.Name())
	}
	want := "control md5sums"
	if pkg != "hearth" {
		want = "conffiles control md5sums postinst postrm prerm"
		conf, _ := os.ReadFile(filepath.Join(dir, "conffiles"))
		if string(conf) != "/etc/default/"+pkg+"\n" {
			t.Errorf("%s: conffiles %q, want /etc/default/%s", pkg, conf, pkg)
		}
		for _, s := range []string{"postinst", "prerm", "postrm"} {
			p := filepath.Join(dir, s)
			if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o755 {
				t.Errorf("%s: %s: %v, want mode 0755", pkg, s, st.Mode())
			}
			if out, err := exec.Command("sh", "-n", p).CombinedOutput(); err != nil {
				t.Errorf("%s: sh -n %s: %v\n%s", pkg, s, err, out)
			}
			body, _ := os.ReadFile(p)
			if strings.Contains(string(body), "@") {
				t.Errorf("%s: %s keeps a template placeholder:\n%s", pkg, s, body)
			}
		}
	}
	if strings.Join(got, " ") != want {
		t.Errorf("%s: control files %v, want %s", pkg, got, want)
	}
	sums, _ := os.ReadFile(filepath.Join(dir, "md5sums"))
	if !strings.Contains(string(sums), "  usr/bin/"+pkg+"\n") {
		t.Errorf("%s: md5sums does not list usr/bin/%s:\n%s", pkg, pkg, sums)
	}
}

// parseControl reads a control file: Field: value, continuation lines
// folded into the value with their newline.
func parseControl(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	var last string
	for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		if strings.HasPrefix(line, " ") && last != "" {
			m[last] += "\n" + line
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("%s: line %q", path, line)
		}
		last, m[k] = k, strings.TrimSpace(v)
	}
	return m
}

// TestDebBinaries checks each program's ELF machine and build settings: the
// agent with the Makefile's AGENT_TAGS, static, and ARMv6 for armhf (Raspberry
// Pi OS's armhf runs on the ARMv6 Pi Zero and Pi 1 too).
func TestDebBinaries(t *testing.T) {
	b := debs(t)
	machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "armhf": elf.EM_ARM}
	for _, arch := range b.arches {
		var debs []string
		for _, pkg := range packages {
			debs = append(debs, b.deb(pkg, arch))
		}
		root := extract(t, debs...)
		for _, pkg := range packages {
			bin := filepath.Join(root, "usr/bin", pkg)
			f, err := elf.Open(bin)
			if err != nil {
				t.Fatal(err)
			}
			if f.Machine != machine[arch] {
				t.Errorf("%s for %s: ELF machine %v, want %v", pkg, arch, f.Machine, machine[arch])
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("%s for %s: dynamically linked (it has an interpreter)", pkg, arch)
				}
			}
			f.Close()
			info, err := buildinfo.ReadFile(bin)
			if err != nil {
				t.Fatal(err)
			}
			set := map[string]string{}
			for _, s := range info.Settings {
				set[s.Key] = s.Value
			}
			if set["CGO_ENABLED"] != "0" {
				t.Errorf("%s for %s: CGO_ENABLED=%q, want 0", pkg, arch, set["CGO_ENABLED"])
			}
			if arch == "armhf" && set["GOARM"] != "6" {
				t.Errorf("%s for armhf: GOARM=%q, want 6", pkg, set["GOARM"])
			}
			if pkg == "hearth-agent" && !strings.Contains(set["-tags"], "grpcnotrace") {
				t.Errorf("hearth-agent for %s: tags %q, want the Makefile's AGENT_TAGS", arch, set["-tags"])
			}
			// -trimpath leaves -ldflags out of the build info: look for the
			// version itself.
			if raw, err := os.ReadFile(bin); err != nil || !bytes.Contains(raw, []byte(b.version)) {
				t.Errorf("%s for %s: no version %s in the binary (%v)", pkg, arch, b.version, err)
			}
		}
	}
}

// TestDebInstalledRuns unpacks the host's packages into a scratch root and
// runs the programs from there, the agent through its start script.
func TestDebInstalledRuns(t *testing.T) {
	b := debs(t)
	arch := hostArch()
	if !strings.Contains(" "+strings.Join(b.arches, " ")+" ", " "+arch+" ") {
		t.Skipf("no packages built for this machine's %s (HEARTH_DEB_ARCHES)", arch)
	}
	var debs []string
	for _, pkg := range packages {
		debs = append(debs, b.deb(pkg, arch))
	}
	root := extract(t, debs...)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"usr/bin/hearth-agent", "--version"}, "hearth-agent " + b.version},
		{[]string{"usr/bin/hearth-gateway", "version"}, "hearth-gateway " + b.version},
		{[]string{"usr/bin/hearth", "version"}, b.version},
		{[]string{"usr/libexec/hearth/hearth-agent-start", "--version"}, "hearth-agent " + b.version},
		{[]string{"usr/libexec/hearth/hearth-update", "supervise", "--help"}, "hearth-update supervise [flags] -- AGENT"},
	} {
		cmd := exec.Command(filepath.Join(root, c.args[0]), c.args[1:]...)
		cmd.Env = append(os.Environ(), "HEARTH_AGENT_BIN="+filepath.Join(root, "usr/bin/hearth-agent"), "HEARTH_JOIN_TOKEN=")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), c.want) {
			t.Errorf("%s: %v\n%s\nwant %q", strings.Join(c.args, " "), err, out, c.want)
		}
	}
}
