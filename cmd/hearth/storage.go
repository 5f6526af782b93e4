package main

import (
	"cmp"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/atomicfile"
	"github.com/hearth-home/hearth/internal/bytesize"
)

func storageCmd() *command {
	return &command{
		name:    "storage",
		summary: "the home's backup storage for restic",
		help: `The gateway keeps backups for restic, the backup program (Debian's restic): each
user has a password and one repository, served with restic's REST protocol over
TLS on the gateway's --storage listener. Each file restic stores is cut into
erasure-coded shards on the devices whose agents have --storage-dir (3+2 on five
devices: any two may be lost), rebuilt when a device is lost (docs/storage.md).`,
		example: "hearth storage user add laptop\nhearth storage status\nhearth storage repair --now",
		subs:    []*command{{name: "user", summary: "backup users and their repositories", help: "Make, list and remove the users that back up to the gateway with restic.", example: "hearth storage user add laptop --quota 200G", subs: []*command{storageUserAddCmd(), storageUserLsCmd(), storageUserRmCmd()}}, storageStatusCmd(), storageRepairCmd(), storageRecoverCmd()},
	}
}

func storageUserAddCmd() *command {
	return &command{
		name:    "add",
		args:    "NAME",
		nargs:   1,
		summary: "make a backup user and print its restic repository",
		help: `Make a backup user NAME with a random password and print what restic needs: the
repository's address with the user and password in it, and the gateway's
certificate (written to a file, for restic --cacert). The address names the
gateway as this CLI reaches it (its credentials' address); from another
computer use the gateway's LAN address or name instead. The password is shown
this once; keep it with restic (RESTIC_REPOSITORY_FILE, or a password manager).
--append-only refuses deletes but of locks: a thief of the laptop cannot
destroy its backups (such a repository only grows: pruning it is not offered
yet).
--quota bounds the repository (e.g. 200G, 500M; IEC units); a full repository
is an error that restic stops on, not corruption.`,
		example: "hearth storage user add laptop\nhearth storage user add nas --quota 1T --append-only --cert-out /etc/restic/hearth.pem",
		bind: func(c *cli, fs *flag.FlagSet) action {
			quota := fs.String("quota", "", "the repository's room, e.g. 200G (default: the disk's)")
			appendOnly := fs.Bool("append-only", false, "refuse deletes and overwrites (but of locks)")
			certOut := fs.String("cert-out", "", "where to write the gateway's certificate for restic --cacert\n(default: hearth-storage-<gateway>.pem next to the credentials)")
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				q, err := bytesize.Parse(*quota)
				if err != nil {
					return usageErrorf("--quota %s: %v", *quota, err)
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				u, err := cl.AddStorageUser(ctx, api.StorageUserRequest{Name: args[0], Quota: q, AppendOnly: *appendOnly})
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, u)
				}
				path := *certOut
				if path == "" {
					// One file per gateway: a second gateway's would not
					// replace the first's.
					gw, _ := cl.Status(ctx)
					path = filepath.Join(filepath.Dir(c.credentialsPath), "hearth-storage-"+shortNode(gw.ID)+".pem")
				}
				if err := atomicfile.WriteFile(path, []byte(u.CertPEM), 0o644); err != nil {
					return fmt.Errorf("the certificate: %w (--cert-out chooses another file)", err)
				}
				host, _, err := net.SplitHostPort(cl.Addr())
				if err != nil {
					host = cl.Addr()
				}
				repo := fmt.Sprintf("rest:https://%s:%s@%s/%s/", u.Name, u.Password, net.JoinHostPort(host, strconv.Itoa(u.Port)), u.Name)
				writeAligned(c.stdout, "", [][]string{
					{"User:", u.Name},
					{"Password:", u.Password + "   (shown this once)"},
					{"Repository:", repo},
					{"Certificate:", path + "   (SHA-256 " + u.Fingerprint + ")"},
				})
				fmt.Fprintf(c.stdout, "\nTry:  restic -r %s --cacert %s init\n", repo, path)
				fmt.Fprintf(c.stdout, "      restic -r %s --cacert %s backup ~/Documents\n", repo, path)
				return nil
			}
		},
	}
}

func storageUserLsCmd() *command {
	return &command{
		name:    "ls",
		summary: "list the backup users",
		help:    "List the backup users: what each repository holds, its quota and whether it is append-only.",
		example: "hearth storage user ls\nhearth storage user ls -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) ([]api.StorageUser, error) {
					us, err := cl.StorageUsers(ctx)
					return nonNil(us), err
				},
				func(_ *api.Admin, us []api.StorageUser) error {
					t := &table{header: []string{"USER", "USED", "QUOTA", "APPEND-ONLY", "CREATED"}}
					for _, u := range us {
						quota := "-"
						if u.Quota > 0 {
							quota = bytesIEC(uint64(u.Quota))
						}
						t.add(u.Name, bytesIEC(uint64(u.Used)), quota, strconv.FormatBool(u.AppendOnly), ago(u.Created, c.now()))
					}
					return t.write(c.stdout)
				})
		},
	}
}

func storageStatusCmd() *command {
	return &command{
		name:    "status",
		summary: "where the backups live and how many devices may be lost",
		help: `Show where the backups live. On the devices: how each file is coded (k data
and m parity shards on k+m devices: any m may be lost), what restic's files
take there, the files with a shard on a device that is away, and each device
that keeps shards (hearth-agent --storage-dir) with its room.`,
		example: "hearth storage status\nhearth storage status -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) (api.StorageStatus, error) {
					st, err := cl.StorageStatus(ctx)
					if err != nil {
						return st, err
					}
					// Names for the devices' IDs; without them, IDs.
					if ms, err := cl.Members(ctx); err == nil {
						for i, d := range st.Devices {
							for _, m := range ms {
								if m.ID == d.Node {
									st.Devices[i].Name = m.Node.Name
								}
							}
						}
					}
					return st, nil
				},
				func(_ *api.Admin, st api.StorageStatus) error {
					w := c.stdout
					if st.On == "gateway" {
						fmt.Fprintf(w, "Backups are kept on the gateway's own disk: %d files, %s.\n", st.Files, bytesIEC(uint64(st.Bytes)))
						fmt.Fprintln(w, "To spread them over the devices: hearth-gateway --storage-on devices (docs/storage.md).")
						return nil
					}
					live := 0
					for _, d := range st.Devices {
						if d.Live {
							live++
						}
					}
					switch {
					case live == 0:
						fmt.Fprintln(w, "Backups are kept on the devices, and none is connected: start agents with --storage-dir DIR.")
					case st.M == 0:
						fmt.Fprintf(w, "Backups are kept on %d device: losing it loses them (two devices keep two copies).\n", live)
					default:
						fmt.Fprintf(w, "Backups are kept on %d devices, new files as %d+%d shards: any %s may be lost.\n", live, st.K, st.M, plural(st.M, "device"))
					}
					ratio := ""
					if st.Bytes > 0 {
						ratio = fmt.Sprintf(", %.2fx", float64(st.Stored)/float64(st.Bytes))
					}
					fmt.Fprintf(w, "Files: %d, %s (stored %s%s)\n", st.Files, bytesIEC(uint64(st.Bytes)), bytesIEC(uint64(st.Stored)), ratio)
					if st.AtRisk > 0 {
						fmt.Fprintf(w, "At risk: %d files have a shard on a device that is away.\n", st.AtRisk)
					}
					switch r := st.Repair; {
					case r.Running:
						fmt.Fprintf(w, "Repair: under way, %d of %d files looked at, %d rebuilt, %d coded anew.\n", r.Checked, r.Files, r.Rebuilt, r.Recoded)
					case r.Rebuilt+r.Recoded+r.Lost+r.Damaged > 0:
						fmt.Fprintf(w, "Last repair, %s: %d rebuilt, %d coded anew, %d shards damaged, %d files lost.\n",
							ago(r.Finished, c.now()), r.Rebuilt, r.Recoded, r.Damaged, r.Lost)
					}
					if len(st.Devices) == 0 {
						return nil
					}
					fmt.Fprintln(w)
					t := &table{header: []string{"DEVICE", "ID", "STATE", "SHARDS", "USED", "FREE"}}
					for _, d := range st.Devices {
						state := "connected"
						if !d.Live {
							state = "away " + ago(d.Seen, c.now())
						}
						t.add(cmp.Or(d.Name, "-"), d.Node[:min(12, len(d.Node))], state, strconv.Itoa(d.Shards),
							bytesIEC(uint64(d.Used)), bytesIEC(uint64(d.Free)))
					}
					return t.write(w)
				})
		},
	}
}

func storageRepairCmd() *command {
	return &command{
		name:    "repair",
		summary: "rebuild the backups' missing shards now, and wait",
		help: `Look at every backup file now and rebuild those with a shard on a device that
is lost (away longer than the gateway's --storage-repair-after, 15 minutes by
default) or found missing or damaged, from the others. The gateway does this by
itself every 30 seconds; this runs it at once and shows its progress.

--now counts a device that is away as lost at once (one you know is gone):
its shards are rebuilt on the others, or each file coded anew for the devices
left when none is spare. --scrub has every device read its shards and check
their hashes as well (the gateway does that weekly by itself).

Exit status 1 when a file is lost: fewer of its shards are left than are needed.`,
		example: "hearth storage repair\nhearth storage repair --now --scrub",
		bind: func(c *cli, fs *flag.FlagSet) action {
			now := fs.Bool("now", false, "count the devices that are away as lost now")
			scrub := fs.Bool("scrub", false, "have every device check its shards' hashes too")
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				rep, err := cl.StorageRepair(ctx, api.StorageRepairRequest{Now: *now, Scrub: *scrub})
				if err != nil {
					return err
				}
				// Ours is pass `mine`: it runs after the one under way,
				// and it is done when the status shows it finished.
				mine := rep.Pass
				p := &progress{w: c.stderr, terminal: c.terminal}
				tick := time.NewTicker(c.pollEvery)
				defer tick.Stop()
				for rep.Pass < mine || rep.Running {
					line := fmt.Sprintf("repair: %d of %d files looked at, %d rebuilt, %d coded anew, %d shards damaged",
						rep.Checked, rep.Files, rep.Rebuilt, rep.Recoded, rep.Damaged)
					if rep.Pass < mine {
						line = "repair: waiting for the pass under way to end"
					}
					p.update(fmt.Sprint(rep.Pass, rep.Checked), line, c.now())
					select {
					case <-ctx.Done():
						p.finish()
						return ctx.Err()
					case <-tick.C:
					}
					st, err := cl.StorageStatus(ctx)
					if err != nil {
						p.finish()
						return err
					}
					rep = st.Repair
				}
				p.finish()
				if *out == formatJSON {
					if err := writeJSON(c.stdout, rep); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(c.stdout, "Repair done in %v: %s looked at, %d rebuilt, %d coded anew for fewer devices, %s found missing or damaged, %d lost.\n",
						rep.Finished.Sub(rep.Started).Round(time.Millisecond), plural(rep.Checked, "file"), rep.Rebuilt, rep.Recoded, plural(rep.Damaged, "shard"), rep.Lost)
					if rep.Collected > 0 {
						fmt.Fprintf(c.stdout, "Deleted %s that no file names (uploads a crash cut short).\n", plural(rep.Collected, "shard"))
					}
				}
				if rep.Postponed > 0 && *out != formatJSON {
					fmt.Fprintf(c.stdout, "%s wait: the devices they need are at their power budgets (the gateway tries again every 30 s).\n", plural(rep.Postponed, "file"))
				}
				if rep.Error != "" {
					return fmt.Errorf("the repair stopped: %s", rep.Error)
				}
				if rep.Lost > 0 {
					return fmt.Errorf("%d files are lost: fewer of their shards are left than are needed (hearth storage status; restic check says which snapshots need them)", rep.Lost)
				}
				return nil
			}
		},
	}
}

func storageRecoverCmd() *command {
	return &command{
		name:    "recover",
		summary: "rebuild a lost gateway's backups from the devices",
		help: `After the gateway's disk was lost: rebuild which shard of which backup file
is on which device, and the backup users, on a new gateway, from the catalogs
the devices keep (every device with --storage-dir holds a copy, signed with a
key from the old owner's admin token).

1. Set up the new gateway (hearth-gateway init, with --storage and
   --storage-on devices) and pair the old agents with it: start each with its
   old --data-dir and --storage-dir and the new join token.
2. Run this with the NEW gateway's credentials (the default file, or
   --credentials) and the OLD gateway's credentials file, which the owner's
   computer still has.

The users keep their passwords: restic works again as before, once its
repository address names the new gateway and --cacert its certificate
(hearth storage user ls shows the port; the certificate is the new gateway's).
A gateway that keeps backups already refuses.`,
		example: "hearth storage recover --old-credentials ~/old-gateway-credentials.json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			old := fs.String("old-credentials", "", "the lost gateway's credentials file (required)")
			out := outputFlag(fs)
			return func(ctx context.Context, args []string) error {
				if *old == "" {
					return usageErrorf("--old-credentials FILE: the lost gateway's credentials file, whose admin token signed the catalogs")
				}
				creds, err := api.LoadCredentials(*old)
				if err != nil {
					return fmt.Errorf("--old-credentials %s: %w", *old, err)
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				key := api.OwnerKey(creds.Token, api.StorageCatalogLabel)
				rec, err := cl.StorageRecover(ctx, api.StorageRecoverRequest{Key: hex.EncodeToString(key)})
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, rec)
				}
				fmt.Fprintf(c.stdout, "Recovered from the catalog written %s (%s, found on %d devices): %d files, %s, %s.\n",
					rec.Written.Local().Format(time.DateTime), rec.Catalog[:min(len(rec.Catalog), 24)], rec.Devices, rec.Files, bytesIEC(uint64(rec.Bytes)), plural(rec.Users, "user"))
				fmt.Fprintln(c.stdout, "Next: hearth storage repair --scrub checks every shard; point restic at the new gateway (hearth storage user ls).")
				return nil
			}
		},
	}
}

func storageUserRmCmd() *command {
	return &command{
		name:    "rm",
		args:    "NAME",
		nargs:   1,
		summary: "take a backup user's access away",
		help: `Remove backup user NAME: its password stops working at once. Its repository
stays in the gateway's data directory (storage/NAME), for a new user of the same
name to take over (hearth storage user add NAME) or for the owner to delete.`,
		example: "hearth storage user rm laptop",
		bind: func(c *cli, fs *flag.FlagSet) action {
			return func(ctx context.Context, args []string) error {
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				if err := cl.RemoveStorageUser(ctx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(c.stdout, "removed backup user %s (its repository is kept)\n", args[0])
				return nil
			}
		},
	}
}
