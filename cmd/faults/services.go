package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/harness"
)

// meiliKey is the master key of this run's Meilisearch, which nobody else uses.
const meiliKey = "belong-faults-master-key-0123456789"

// stopGrace is how long a process may take to shut down before it is killed.
const stopGrace = 15 * time.Second

// cluster is this run's own PostgreSQL, Redis and Meilisearch, and the belong
// processes in front of them: two `serve --no-worker` and one `worker`, each its
// own process so each can be killed.
type cluster struct {
	o   options
	say func(string, ...any)

	pgDir, pgData    string
	pgPort           string
	redisAddr        string
	meiliAddr        string
	asPostgres       []string // how to run PostgreSQL's programs: as the postgres user when we are root
	pgRunning        bool
	redis, meili     *harness.Proc
	serves           []*harness.Proc
	serveURLs        []string
	worker           *harness.Proc
	env              map[string]string // what every belong process runs with
	pool             *pgxpool.Pool     // the fault program's own connections: writes and outbox checks
	meiliAPI         *harness.Meili
	rdb              *redis.Client
	exits            []string // belong processes that ended by themselves, and when
	setupTook        time.Duration
	reindexDocuments int
}

func startCluster(ctx context.Context, o options, say func(string, ...any)) (*cluster, error) {
	start := time.Now()
	c := &cluster{o: o, say: say, pgDir: filepath.Join(o.work, "postgres")}
	c.pgData = filepath.Join(c.pgDir, "data")
	if err := os.MkdirAll(filepath.Join(o.work, "pids"), 0o755); err != nil {
		return nil, err
	}
	ports := make([]string, 5)
	for i := range ports {
		addr, err := harness.FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = addr
	}
	_, c.pgPort, _ = strings.Cut(ports[0], ":")
	c.redisAddr, c.meiliAddr = ports[1], ports[2]
	c.serveURLs = []string{"http://" + ports[3], "http://" + ports[4]}
	c.meiliAPI = &harness.Meili{URL: "http://" + c.meiliAddr, Key: meiliKey, HTTP: &http.Client{Timeout: 5 * time.Second}}
	c.rdb = redis.NewClient(&redis.Options{Addr: c.redisAddr, DialTimeout: time.Second, ReadTimeout: time.Second,
		MaxRetries: -1})
	dbURL := "postgres://postgres@127.0.0.1:" + c.pgPort + "/belong?sslmode=disable"
	c.env = map[string]string{
		"DATABASE_URL":     dbURL,
		"REDIS_URL":        "redis://" + c.redisAddr + "/0",
		"MEILI_URL":        "http://" + c.meiliAddr,
		"MEILI_MASTER_KEY": meiliKey,
		"MEILI_INDEX":      "listings",
		"LOG_LEVEL":        "info",
	}

	if err := c.initPostgres(ctx); err != nil {
		return c, err
	}
	if err := c.startPostgres(ctx); err != nil {
		return c, err
	}
	if err := c.startRedis(ctx); err != nil {
		return c, err
	}
	if err := c.startMeili(ctx); err != nil {
		return c, err
	}
	say("PostgreSQL on 127.0.0.1:%s, Redis on %s, Meilisearch on %s; logs in %s", c.pgPort, c.redisAddr, c.meiliAddr, o.work)
	if err := createDatabase(ctx, "postgres://postgres@127.0.0.1:"+c.pgPort+"/postgres?sslmode=disable", "belong"); err != nil {
		return c, err
	}
	cfg, err := pgxpool.ParseConfig(dbURL + "&pool_max_conns=4&connect_timeout=2")
	if err != nil {
		return c, err
	}
	if c.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return c, err
	}
	say("seeding %d synthetic listings (seed %d) and indexing them", o.listings, o.seed)
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "--synthetic", strconv.Itoa(o.listings), "--seed",
		strconv.FormatInt(o.seed, 10)}, {"reindex"}} {
		if err := c.belongCommand(ctx, args...); err != nil {
			return c, err
		}
	}
	if c.reindexDocuments, err = c.meiliAPI.Documents(ctx, "listings"); err != nil {
		return c, err
	}
	for i := range c.serveURLs {
		if err := c.startServe(ctx, i); err != nil {
			return c, err
		}
	}
	if err := c.startWorker(ctx); err != nil {
		return c, err
	}
	// The seed queued every listing; reindex already indexed them. Let the
	// worker work the outbox off before anything is measured.
	if err := c.waitOutbox(ctx, 0, 2*time.Minute); err != nil {
		return c, err
	}
	c.setupTook = time.Since(start)
	say("ready in %s: %d documents in Meilisearch; serving on %s", c.setupTook.Round(100*time.Millisecond),
		c.reindexDocuments, strings.Join(c.serveURLs, ", "))
	return c, nil
}

// close stops everything this run started. It runs whether the run succeeded or
// not; scripts/faults.sh's trap is the net under it.
func (c *cluster) close() {
	if c.pool != nil {
		c.pool.Close()
	}
	_ = c.rdb.Close()
	procs := append([]*harness.Proc{c.worker}, c.serves...)
	for _, p := range procs {
		if p != nil {
			p.Stop(stopGrace)
		}
	}
	for _, p := range []*harness.Proc{c.meili, c.redis} {
		if p != nil {
			p.Stop(stopGrace)
		}
	}
	if c.pgRunning {
		_ = c.pgCtl(context.Background(), "stop", "-m", "fast")
	}
}

// start runs a process with its output in <work>/<name>.log and its pid in
// <work>/pids/<name>.pid, for the script's trap.
func (c *cluster) start(name, bin string, args []string, env map[string]string) (*harness.Proc, error) {
	var envList []string
	if env != nil {
		envList = harness.EnvList(harness.MergedEnv(env))
	}
	p, err := harness.Start(harness.Spec{Name: name, Bin: bin, Args: args, Env: envList,
		Log: filepath.Join(c.o.work, name+".log")})
	if err != nil {
		return nil, err
	}
	pidFile := filepath.Join(c.o.work, "pids", name+".pid")
	return p, os.WriteFile(pidFile, []byte(strconv.Itoa(p.Pid())+"\n"), 0o644)
}

// ---------------------------------------------------------------- PostgreSQL

// initPostgres creates a cluster in <work>/postgres/data. initdb refuses to run
// as root, so as root every PostgreSQL program runs as the postgres user.
func (c *cluster) initPostgres(ctx context.Context) error {
	if err := os.MkdirAll(c.pgDir, 0o700); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root, PostgreSQL must run as the postgres user, which is missing: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		// The postgres user must reach its directory inside ours.
		if err := os.Chmod(c.o.work, 0o711); err != nil {
			return err
		}
		if err := os.Chown(c.pgDir, uid, gid); err != nil {
			return err
		}
		c.asPostgres = []string{"runuser", "-u", "postgres", "--"}
	}
	return c.pgRun(ctx, "initdb", "-D", c.pgData, "-U", "postgres", "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync")
}

// startPostgres starts the cluster and waits until it accepts connections.
// fsync is off: a killed server's writes are still in the kernel's page cache,
// which is all an immediate stop tests, and the machine's disk is shared.
func (c *cluster) startPostgres(ctx context.Context) error {
	opts := "-c port=" + c.pgPort + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + c.pgDir +
		" -c fsync=off -c max_connections=100"
	if err := c.pgCtl(ctx, "start", "-w", "-t", "60", "-l", filepath.Join(c.pgDir, "postgres.log"), "-o", opts); err != nil {
		return err
	}
	c.pgRunning = true
	return nil
}

// killPostgres stops the server the way a crash would: every process ends at
// once, nothing is flushed, and the next start recovers from the WAL.
func (c *cluster) killPostgres(ctx context.Context) error {
	err := c.pgCtl(ctx, "stop", "-m", "immediate")
	if err == nil {
		c.pgRunning = false
	}
	return err
}

func (c *cluster) pgCtl(ctx context.Context, action string, args ...string) error {
	return c.pgRun(ctx, "pg_ctl", append([]string{action, "-D", c.pgData, "-w"}, args...)...)
}

func (c *cluster) pgRun(ctx context.Context, program string, args ...string) error {
	argv := append(append(append([]string{}, c.asPostgres...), filepath.Join(c.o.pgBin, program)), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = c.pgDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", program, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// postgresAnswers reports whether PostgreSQL accepts a connection and a query.
func (c *cluster) postgresAnswers(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return c.pool.Ping(ctx) == nil
}

func createDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to this run's PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// --------------------------------------------------------------------- Redis

func (c *cluster) startRedis(ctx context.Context) error {
	_, port, _ := strings.Cut(c.redisAddr, ":")
	dir := filepath.Join(c.o.work, "redis")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p, err := c.start("redis", c.o.redisBin, []string{"--port", port, "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir}, nil)
	if err != nil {
		return err
	}
	c.redis = p
	return p.WaitReady(ctx, 30*time.Second, func() bool { return c.redisAnswers(ctx) })
}

func (c *cluster) redisAnswers(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return c.rdb.Ping(ctx).Err() == nil
}

// --------------------------------------------------------------- Meilisearch

func (c *cluster) startMeili(ctx context.Context) error {
	dir := filepath.Join(c.o.work, "meili")
	p, err := c.start("meilisearch", c.o.meiliBin, []string{"--http-addr", c.meiliAddr, "--master-key", meiliKey,
		"--no-analytics", "--env", "development", "--db-path", filepath.Join(dir, "data"),
		"--dump-dir", filepath.Join(dir, "dumps"), "--snapshot-dir", filepath.Join(dir, "snapshots")}, nil)
	if err != nil {
		return err
	}
	c.meili = p
	return p.WaitReady(ctx, time.Minute, func() bool { return c.meiliAnswers(ctx) })
}

func (c *cluster) meiliAnswers(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return c.meiliAPI.Healthy(ctx)
}

// -------------------------------------------------------------------- belong

// belongCommand runs one belong subcommand to its end, output in setup.log.
func (c *cluster) belongCommand(ctx context.Context, args ...string) error {
	logFile, err := os.OpenFile(filepath.Join(c.o.work, "setup.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, c.o.belong, args...)
	cmd.Env = harness.EnvList(harness.MergedEnv(c.env))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	err = cmd.Start()
	if err == nil {
		// For the script's trap, should this program die while it runs.
		pidFile := filepath.Join(c.o.work, "pids", "setup.pid")
		_ = os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644)
		err = cmd.Wait()
	}
	if err != nil {
		return fmt.Errorf("belong %s: %w; see %s", strings.Join(args, " "), err, logFile.Name())
	}
	return nil
}

func (c *cluster) startServe(ctx context.Context, i int) error {
	addr := strings.TrimPrefix(c.serveURLs[i], "http://")
	p, err := c.start(fmt.Sprintf("serve-%d", i+1), c.o.belong, []string{"serve", "--no-worker"},
		harness.MergedEnv(c.env, map[string]string{"LISTEN_ADDR": addr, "BASE_URL": c.serveURLs[i]}))
	if err != nil {
		return err
	}
	if len(c.serves) <= i {
		c.serves = append(c.serves, nil)
	}
	c.serves[i] = p
	probe := &http.Client{Timeout: time.Second}
	return p.WaitReady(ctx, time.Minute, func() bool {
		resp, err := probe.Get(c.serveURLs[i] + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

func (c *cluster) startWorker(ctx context.Context) error {
	// A restarted worker appends to the same log: count the "indexing" lines.
	before := strings.Count(readFile(filepath.Join(c.o.work, "worker.log")), `"msg":"indexing"`)
	p, err := c.start("worker", c.o.belong, []string{"worker"}, c.env)
	if err != nil {
		return err
	}
	c.worker = p
	return p.WaitReady(ctx, time.Minute, func() bool {
		return strings.Count(readFile(p.Log), `"msg":"indexing"`) > before
	})
}

// reviveBelong restarts any belong process that ended by itself, noting it for
// the report, so one crash does not hide what the later phases would show.
func (c *cluster) reviveBelong(ctx context.Context, phase string) error {
	for i, p := range c.serves {
		if exited, err := p.Exited(); exited {
			c.exits = append(c.exits, fmt.Sprintf("%s exited during %q (%v); restarted", p.Name, phase, err))
			c.say("%s exited (%v); restarting it", p.Name, err)
			if err := c.startServe(ctx, i); err != nil {
				return err
			}
		}
	}
	if exited, err := c.worker.Exited(); exited {
		c.exits = append(c.exits, fmt.Sprintf("worker exited during %q (%v); restarted", phase, err))
		c.say("worker exited (%v); restarting it", err)
		return c.startWorker(ctx)
	}
	return nil
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// pause and resume stop and continue a process without ending it, as a
// machine that stalls would.
func pause(p *harness.Proc) error  { return p.Signal(syscall.SIGSTOP) }
func resume(p *harness.Proc) error { return p.Signal(syscall.SIGCONT) }
