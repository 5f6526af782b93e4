package market

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	wasi "github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

// An order's app is checked before the order is accepted: once accepted, an
// order whose tasks cannot run anywhere in the pool is settled with no task
// done, which refunds its requester but costs the provider two transactions'
// gas for nothing.

// appVerdict is what checking an app found. Content does not change under
// its digest, so a verdict holds for every order of the same app and
// runtime.
type appVerdict struct {
	// bad says why the app cannot run in the pool; "" when it can.
	bad string
	// minMemory is the memory a wasm module declares it starts with.
	minMemory uint64
	// platforms are an oci app's image platforms.
	platforms []string
}

// maxVerdicts bounds the verdicts kept; past it the cache starts over,
// which costs a check per app again, never a wrong verdict.
const maxVerdicts = 1024

// wasmCheckTime bounds compiling one module to check it. A module that
// takes longer is refused: the devices would take as long, per device.
const wasmCheckTime = 30 * time.Second

// maxWasmApp bounds the module the gateway reads into memory and compiles to
// check it; compiling takes several times the module's size in memory.
const maxWasmApp = 64 << 20

// judgeApp checks the app of an order whose app is in the blob store,
// against the job the order would run as: the app's verdict, and a reason
// to refuse the order, or a reason to wait (wait true), or neither.
func (m *Market) judgeApp(ctx context.Context, o *orderRecord, spec api.JobSpec) (v appVerdict, reason string, wait bool) {
	v, err := m.appVerdict(ctx, o.Runtime, store.Digest(o.AppDigest))
	if err != nil {
		return v, "waiting to check the app: " + err.Error(), true
	}
	if v.bad != "" {
		return v, fmt.Sprintf("app %s cannot run here: %s", store.Digest(o.AppDigest).Short(), v.bad), false
	}
	if limit := uint64(spec.Resources.Memory); v.minMemory > limit {
		return v, fmt.Sprintf("app %s starts with %d MiB of memory; an order's task gets %d MiB",
			store.Digest(o.AppDigest).Short(), v.minMemory>>20, limit>>20), false
	}
	return v, "", false
}

// judgePlatforms refuses an oci order whose image has no platform that a
// ready device of the pool runs: its tasks would wait in the queue until
// the requester reclaims the order.
func judgePlatforms(o *orderRecord, v appVerdict, c gateway.Capacity) string {
	if o.Runtime != "oci" || c.Runs(o.Runtime, v.platforms) {
		return ""
	}
	return fmt.Sprintf("app %s has images for %s; no ready device of the pool runs one (they run %s)",
		store.Digest(o.AppDigest).Short(), strings.Join(v.platforms, ", "), strings.Join(c.Platforms, ", "))
}

// appVerdict checks an app once per runtime and digest. An error is a
// check that could not be made (the blob unreadable, the gateway stopping):
// it is not kept, and the order waits.
func (m *Market) appVerdict(ctx context.Context, runtime string, d store.Digest) (appVerdict, error) {
	key := runtime + " " + string(d)
	if v, ok := m.verdicts[key]; ok {
		return v, nil
	}
	begin := time.Now()
	var v appVerdict
	var err error
	switch runtime {
	case "wasm":
		v, err = m.checkWasm(ctx, d)
	case "oci":
		v, err = m.checkImage(d)
	default:
		v.bad = "runtime " + runtime + " is unknown to this gateway"
	}
	if err != nil {
		return v, err
	}
	if m.verdicts == nil || len(m.verdicts) >= maxVerdicts {
		m.verdicts = map[string]appVerdict{}
	}
	m.verdicts[key] = v
	m.log.Info("app checked", "app", string(d), "runtime", runtime, "ok", v.bad == "",
		"problem", v.bad, "platforms", strings.Join(v.platforms, ","), "took", time.Since(begin).Round(time.Millisecond))
	return v, nil
}

// checkWasm compiles a module, as the devices' wasm runtime will, and
// looks for what would fail every task of it there: what sandbox/wasm
// checks of a module before it starts one (a WASI command: "_start", its
// memory exported, nothing imported but WASI).
func (m *Market) checkWasm(ctx context.Context, d store.Digest) (appVerdict, error) {
	rc, size, err := m.pool.Blobs().Open(d)
	if err != nil {
		return appVerdict{}, err
	}
	defer rc.Close()
	if size > maxWasmApp {
		return appVerdict{bad: fmt.Sprintf("the module is %d MiB; the provider checks and runs modules of at most %d MiB", size>>20, maxWasmApp>>20)}, nil
	}
	bin, err := io.ReadAll(rc)
	if err != nil {
		return appVerdict{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, wasmCheckTime)
	defer cancel()
	rt := wazero.NewRuntime(cctx)
	defer rt.Close(context.Background())
	cm, err := rt.CompileModule(cctx, bin)
	switch {
	case ctx.Err() != nil:
		return appVerdict{}, ctx.Err()
	case cctx.Err() != nil:
		return appVerdict{bad: fmt.Sprintf("the module did not compile within %s", wasmCheckTime)}, nil
	case err != nil:
		return appVerdict{bad: "not a WebAssembly module that compiles: " + err.Error()}, nil
	}
	defer cm.Close(context.Background())
	if bad := notWASICommand(cm); bad != "" {
		return appVerdict{bad: bad}, nil
	}
	return appVerdict{minMemory: uint64(cm.ExportedMemories()["memory"].Min()) * wasmPage}, nil
}

const wasmPage = 64 << 10

// notWASICommand says why a compiled module is no WASI command that the
// devices run, or "".
func notWASICommand(cm wazero.CompiledModule) string {
	start, ok := cm.ExportedFunctions()["_start"]
	if !ok || len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0 {
		return `no "_start" function: not a WASI command (build it for wasip1, e.g. GOOS=wasip1 GOARCH=wasm)`
	}
	for _, f := range cm.ImportedFunctions() {
		if mod, name, _ := f.Import(); mod != wasi.ModuleName {
			return fmt.Sprintf("it imports %s.%s; the devices provide nothing but %s", mod, name, wasi.ModuleName)
		}
	}
	if len(cm.ImportedMemories()) > 0 {
		return "it imports its memory; a WASI command exports it"
	}
	if _, ok := cm.ExportedMemories()["memory"]; !ok {
		return `it does not export its memory as "memory", as WASI requires`
	}
	return ""
}

// checkImage reads an oci app's platforms, as the gateway does when it
// takes the app as a job; which devices run one of them is judged per
// order, the pool changing.
func (m *Market) checkImage(d store.Digest) (appVerdict, error) {
	rc, _, err := m.pool.Blobs().Open(d)
	if err != nil {
		return appVerdict{}, err
	}
	defer rc.Close()
	ps, err := ociimage.Platforms(bufio.NewReaderSize(rc, 1<<16))
	if errors.Is(err, ociimage.ErrNotImage) {
		return appVerdict{bad: "not an OCI image archive the pool can read (`hearth image pack` makes one): " + err.Error()}, nil
	}
	if err != nil {
		return appVerdict{}, err
	}
	v := appVerdict{}
	for _, p := range ps {
		v.platforms = append(v.platforms, p.String())
	}
	return v, nil
}
