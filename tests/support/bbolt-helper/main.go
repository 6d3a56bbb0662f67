// bbolt-helper: drives the real bbolt (Go, Debian's golang-github-coreos-bbolt-dev)
// so that TypeScript tests can prove on-disk interop with engine/backend.
//
// Build (GOPATH mode, no network):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o bbolt-helper main.go
//
// Commands (all output is JSON on stdout; failures go to stderr with exit 1):
//
//	bbolt-helper check FILE   -> {"ok":bool,"errors":[...]}  (exit 0 unless FILE cannot be opened)
//	bbolt-helper dump FILE    -> {"pageSize","txid","meta":[m0,m1],"freelist":[...],"kv":[],"buckets":{...}}
//	bbolt-helper write FILE   <spec.json on stdin>  -> {"ok":true}
//	bbolt-helper stats FILE   -> {"pageSize","txid","buckets":{nameHex:{"stats":{...},"buckets":{...}}}}
package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "bbolt-helper: "+format+"\n", a...)
	os.Exit(1)
}

func emit(v interface{}) {
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(v); err != nil {
		fail("encode output: %v", err)
	}
}

func openDB(file string, readOnly bool, pageSize int) *bolt.DB {
	if readOnly {
		if _, err := os.Stat(file); err != nil {
			fail("open %s: %v", file, err)
		}
	}
	db, err := bolt.Open(file, 0600, &bolt.Options{
		Timeout:  5 * time.Second,
		ReadOnly: readOnly,
		PageSize: pageSize,
	})
	if err != nil {
		fail("open %s: %v", file, err)
	}
	return db
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: bbolt-helper check|dump|write|stats FILE")
	}
	cmd, file := os.Args[1], os.Args[2]
	// Turn panics (bbolt panics on many kinds of corruption) into a clean error exit.
	defer func() {
		if r := recover(); r != nil {
			fail("panic: %v", r)
		}
	}()
	switch cmd {
	case "check":
		check(file)
	case "__check":
		checkInner(file)
	case "dump":
		dump(file)
	case "write":
		write(file)
	case "stats":
		stats(file)
	default:
		fail("unknown command %q", cmd)
	}
}

// ---------------------------------------------------------------- check

type checkResult struct {
	OK     bool     `json:"ok"`
	Errors []string `json:"errors"`
}

// check runs the real check in a child process: tx.Check() runs in its own
// goroutine, where a panic or fault (bbolt trusts page contents) cannot be
// recovered and kills the process. The child streams each error as one JSON
// line as soon as bbolt reports it, so errors found before a crash survive;
// the crash itself is then reported as one more error.
func check(file string) {
	if _, err := os.Stat(file); err != nil {
		fail("open %s: %v", file, err)
	}
	self, err := os.Executable()
	if err != nil {
		fail("os.Executable: %v", err)
	}
	c := exec.Command(self, "__check", file)
	var stdout, stderr strings.Builder
	c.Stdout, c.Stderr = &stdout, &stderr
	runErr := c.Run()
	var ee *exec.ExitError
	if runErr != nil && errors.As(runErr, &ee) && ee.ExitCode() == 1 && strings.Contains(stderr.String(), "bbolt-helper: open ") {
		// Could not open: propagate as exit 1.
		os.Stderr.WriteString(stderr.String())
		os.Exit(1)
	}
	res := checkResult{Errors: []string{}}
	done := false
	for _, line := range strings.Split(stdout.String(), "\n") {
		if line == "" {
			continue
		}
		if line == "DONE" {
			done = true
			continue
		}
		var e string
		if json.Unmarshal([]byte(line), &e) == nil {
			res.Errors = append(res.Errors, e)
		}
	}
	if runErr != nil || !done {
		// Keep the head of the crash report: the reason and the bbolt frames.
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		var keep []string
		for i, l := range lines {
			if i < 3 || (strings.Contains(l, "go.etcd.io/bbolt.") && len(keep) < 12) {
				keep = append(keep, strings.TrimSpace(l))
			}
		}
		res.Errors = append(res.Errors, fmt.Sprintf("check crashed (%v): %s", runErr, strings.Join(keep, " | ")))
	}
	res.OK = len(res.Errors) == 0
	emit(res)
}

func checkInner(file string) {
	db := openDB(file, true, 0)
	defer db.Close()
	err := db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() { // bbolt 1.3.x: Check returns <-chan error
			b, _ := json.Marshal(e.Error())
			os.Stdout.Write(append(b, '\n'))
		}
		return nil
	})
	if err != nil {
		b, _ := json.Marshal(err.Error())
		os.Stdout.Write(append(b, '\n'))
	}
	os.Stdout.WriteString("DONE\n")
}

// ---------------------------------------------------------------- dump

type bucketDump struct {
	Root     uint64                 `json:"root"` // 0 = inline bucket
	Sequence uint64                 `json:"sequence"`
	KV       [][2]string            `json:"kv"`
	Buckets  map[string]*bucketDump `json:"buckets"`
}

type metaDump struct {
	Magic      uint32 `json:"magic"`
	Version    uint32 `json:"version"`
	PageSize   uint32 `json:"pageSize"`
	Flags      uint32 `json:"flags"`
	Root       uint64 `json:"root"`
	Sequence   uint64 `json:"sequence"`
	Freelist   uint64 `json:"freelist"`
	Pgid       uint64 `json:"pgid"`
	Txid       uint64 `json:"txid"`
	Checksum   string `json:"checksum"` // hex of the u64, as stored (little endian value printed big-endian)
	ChecksumOK bool   `json:"checksumOk"`
}

type dbDump struct {
	PageSize int                    `json:"pageSize"`
	Txid     int                    `json:"txid"`
	Meta     []metaDump             `json:"meta"`
	Freelist []uint64               `json:"freelist"` // ids on the active meta's freelist page (raw)
	KV       [][2]string            `json:"kv"`       // non-bucket keys in the root bucket (normally none)
	Buckets  map[string]*bucketDump `json:"buckets"`
}

func dumpBucket(b *bolt.Bucket) *bucketDump {
	d := &bucketDump{Root: uint64(b.Root()), Sequence: b.Sequence(), KV: [][2]string{}, Buckets: map[string]*bucketDump{}}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if child := b.Bucket(k); child != nil {
				d.Buckets[hex.EncodeToString(k)] = dumpBucket(child)
				continue
			}
		}
		d.KV = append(d.KV, [2]string{hex.EncodeToString(k), hex.EncodeToString(v)})
	}
	return d
}

func readMeta(buf []byte) metaDump {
	le := binary.LittleEndian
	m := buf[16:] // after the 16-byte page header
	h := fnv.New64a()
	h.Write(m[:56])
	sum := le.Uint64(m[56:64])
	return metaDump{
		Magic: le.Uint32(m[0:]), Version: le.Uint32(m[4:]), PageSize: le.Uint32(m[8:]), Flags: le.Uint32(m[12:]),
		Root: le.Uint64(m[16:]), Sequence: le.Uint64(m[24:]), Freelist: le.Uint64(m[32:]), Pgid: le.Uint64(m[40:]),
		Txid: le.Uint64(m[48:]), Checksum: fmt.Sprintf("%016x", sum), ChecksumOK: sum == h.Sum64(),
	}
}

// rawMetaAndFreelist reads both meta pages and the active freelist straight from the file.
func rawMetaAndFreelist(file string, pageSize int) ([]metaDump, []uint64) {
	f, err := os.Open(file)
	if err != nil {
		fail("open %s: %v", file, err)
	}
	defer f.Close()
	buf := make([]byte, 80)
	metas := []metaDump{}
	for i := 0; i < 2; i++ {
		if _, err := f.ReadAt(buf, int64(i*pageSize)); err != nil {
			fail("read meta %d: %v", i, err)
		}
		metas = append(metas, readMeta(buf))
	}
	// Active meta: highest txid with valid checksum (as db.meta()).
	a, b := metas[0], metas[1]
	if b.Txid > a.Txid {
		a, b = b, a
	}
	act := a
	if !a.ChecksumOK || a.Magic != 0xED0CDAED {
		act = b
	}
	ids := []uint64{}
	if act.Freelist == 0xFFFFFFFFFFFFFFFF {
		return metas, ids
	}
	hdr := make([]byte, 24)
	if _, err := f.ReadAt(hdr, int64(act.Freelist)*int64(pageSize)); err != nil {
		return metas, ids
	}
	le := binary.LittleEndian
	count := uint64(le.Uint16(hdr[10:]))
	start := int64(act.Freelist)*int64(pageSize) + 16
	if count == 0xFFFF {
		count = le.Uint64(hdr[16:])
		start += 8
	}
	if count > 1<<28 {
		return metas, ids
	}
	data := make([]byte, 8*count)
	if _, err := f.ReadAt(data, start); err != nil && err != io.EOF {
		return metas, ids
	}
	for i := uint64(0); i < count; i++ {
		ids = append(ids, le.Uint64(data[8*i:]))
	}
	return metas, ids
}

func dump(file string) {
	db := openDB(file, true, 0)
	defer db.Close()
	out := dbDump{PageSize: db.Info().PageSize, KV: [][2]string{}, Buckets: map[string]*bucketDump{}}
	err := db.View(func(tx *bolt.Tx) error {
		out.Txid = tx.ID()
		c := tx.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if b := tx.Bucket(k); b != nil {
					out.Buckets[hex.EncodeToString(k)] = dumpBucket(b)
					continue
				}
			}
			out.KV = append(out.KV, [2]string{hex.EncodeToString(k), hex.EncodeToString(v)})
		}
		return nil
	})
	if err != nil {
		fail("view: %v", err)
	}
	out.Meta, out.Freelist = rawMetaAndFreelist(file, out.PageSize)
	emit(out)
}

// ---------------------------------------------------------------- write

type writeSpec struct {
	PageSize    int                 `json:"pageSize"`
	FillPercent float64             `json:"fillPercent"`
	Txs         [][]json.RawMessage `json:"txs"`
}

func decHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(fmt.Sprintf("bad hex %q: %v", s, err))
	}
	return b
}

func write(file string) {
	var spec writeSpec
	dec := json.NewDecoder(os.Stdin)
	if err := dec.Decode(&spec); err != nil {
		fail("read spec from stdin: %v", err)
	}
	db := openDB(file, false, spec.PageSize)
	defer db.Close()
	for ti, ops := range spec.Txs {
		err := db.Update(func(tx *bolt.Tx) error {
			bucketAt := func(path []string) (*bolt.Bucket, error) {
				if len(path) == 0 {
					return nil, fmt.Errorf("empty bucket path")
				}
				var b *bolt.Bucket
				for i, p := range path {
					if i == 0 {
						b = tx.Bucket(decHex(p))
					} else {
						b = b.Bucket(decHex(p))
					}
					if b == nil {
						return nil, fmt.Errorf("bucket %v not found", path[:i+1])
					}
					if spec.FillPercent != 0 {
						b.FillPercent = spec.FillPercent
					}
				}
				return b, nil
			}
			for oi, raw := range ops {
				var op []json.RawMessage
				if err := json.Unmarshal(raw, &op); err != nil || len(op) < 2 {
					return fmt.Errorf("op %d: malformed %s", oi, string(raw))
				}
				var name string
				var path []string
				if err := json.Unmarshal(op[0], &name); err != nil {
					return fmt.Errorf("op %d: bad op name", oi)
				}
				if err := json.Unmarshal(op[1], &path); err != nil {
					return fmt.Errorf("op %d: bad path", oi)
				}
				str := func(i int) string {
					var s string
					if i >= len(op) {
						panic(fmt.Sprintf("op %d (%s): missing argument %d", oi, name, i))
					}
					if err := json.Unmarshal(op[i], &s); err != nil {
						panic(fmt.Sprintf("op %d (%s): argument %d: %v", oi, name, i, err))
					}
					return s
				}
				var err error
				switch name {
				case "createBucket", "deleteBucket":
					if len(path) == 0 {
						return fmt.Errorf("op %d: %s needs a non-empty path", oi, name)
					}
					key := decHex(path[len(path)-1])
					if len(path) == 1 {
						if name == "createBucket" {
							var b *bolt.Bucket
							if b, err = tx.CreateBucket(key); err == nil && spec.FillPercent != 0 {
								b.FillPercent = spec.FillPercent
							}
						} else {
							err = tx.DeleteBucket(key)
						}
					} else {
						var parent *bolt.Bucket
						if parent, err = bucketAt(path[:len(path)-1]); err == nil {
							if name == "createBucket" {
								var b *bolt.Bucket
								if b, err = parent.CreateBucket(key); err == nil && spec.FillPercent != 0 {
									b.FillPercent = spec.FillPercent
								}
							} else {
								err = parent.DeleteBucket(key)
							}
						}
					}
				case "put":
					var b *bolt.Bucket
					if b, err = bucketAt(path); err == nil {
						err = b.Put(decHex(str(2)), decHex(str(3)))
					}
				case "delete":
					var b *bolt.Bucket
					if b, err = bucketAt(path); err == nil {
						err = b.Delete(decHex(str(2)))
					}
				case "setSequence":
					var n uint64
					if len(op) < 3 || json.Unmarshal(op[2], &n) != nil {
						return fmt.Errorf("op %d: setSequence needs a number", oi)
					}
					var b *bolt.Bucket
					if b, err = bucketAt(path); err == nil {
						err = b.SetSequence(n)
					}
				default:
					return fmt.Errorf("op %d: unknown op %q", oi, name)
				}
				if err != nil {
					return fmt.Errorf("op %d (%s %v): %v", oi, name, path, err)
				}
			}
			return nil
		})
		if err != nil {
			fail("tx %d: %v", ti, err)
		}
	}
	if err := db.Close(); err != nil {
		fail("close: %v", err)
	}
	emit(map[string]bool{"ok": true})
}

// ---------------------------------------------------------------- stats

type bucketStats struct {
	Stats   bolt.BucketStats        `json:"stats"` // includes all nested sub-buckets (bbolt semantics)
	Buckets map[string]*bucketStats `json:"buckets"`
}

func statsBucket(b *bolt.Bucket) *bucketStats {
	s := &bucketStats{Stats: b.Stats(), Buckets: map[string]*bucketStats{}}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if child := b.Bucket(k); child != nil {
				s.Buckets[hex.EncodeToString(k)] = statsBucket(child)
			}
		}
	}
	return s
}

func stats(file string) {
	db := openDB(file, true, 0)
	defer db.Close()
	out := struct {
		PageSize int                     `json:"pageSize"`
		Txid     int                     `json:"txid"`
		Buckets  map[string]*bucketStats `json:"buckets"`
	}{PageSize: db.Info().PageSize, Buckets: map[string]*bucketStats{}}
	err := db.View(func(tx *bolt.Tx) error {
		out.Txid = tx.ID()
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			out.Buckets[hex.EncodeToString(name)] = statsBucket(b)
			return nil
		})
	})
	if err != nil {
		fail("view: %v", err)
	}
	emit(out)
}
