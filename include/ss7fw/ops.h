/* ss7fw — operations: event log, pcap of drops, Prometheus endpoint,
 * service manager notification. Used by the relay; nothing here decodes. */
#ifndef SS7FW_OPS_H
#define SS7FW_OPS_H

#include <stdio.h>

#include "ss7fw/config-t.h"
#include "ss7fw/engine.h"
#include "ss7fw/loop.h"

/* ---- JSON event log: file (appended, reopened on evlog_reopen) or syslog.
 * Rate-limited by a token bucket (settings event_rate / event_burst); lines
 * over the limit are counted as suppressed, never queued. */
struct evlog;
struct evlog *evlog_open(const struct settings_cfg *s, FILE *err);  /* NULL: error written to err */
void evlog_write(struct evlog *l, const struct msu *m, const struct msu_meta *meta,
		 const struct fw_decision *d);
void evlog_reopen(struct evlog *l);                 /* after log rotation */
uint64_t evlog_written(const struct evlog *l);
uint64_t evlog_suppressed(const struct evlog *l);
void evlog_close(struct evlog *l);
/* Additions (F2): write the "suppressed N events" line if one is due (call
 * it about once a second from the loop); lines that failed to be written;
 * a clock for tests (monotonic milliseconds; NULL restores loop_now_ms). */
void evlog_tick(struct evlog *l);
uint64_t evlog_errors(const struct evlog *l);
void evlog_set_clock(struct evlog *l, uint64_t (*now_ms)(void *arg), void *arg);
/* Additions (SIEM, issue 11): settings journal / syslog_server add outputs
 * fed with every record that passes the bucket (include/ss7fw/siem.h).
 * evlog_attach_loop lets the collector connection use the loop (call once
 * after evlog_open); evlog_metrics_prom writes the ss7fw_syslog_* and
 * ss7fw_journal_* families of the outputs configured; the journal socket
 * can be moved for tests (only when journal is on). */
void evlog_attach_loop(struct evlog *l, struct loop *lp);
void evlog_metrics_prom(const struct evlog *l, FILE *out);
void evlog_set_journal_socket(struct evlog *l, const char *path);
/* What evlog_open would refuse in the SIEM settings (collector address,
 * SD-ID), each written to err as "path: settings.KEY ...": the number of
 * errors (for ss7fw check). */
int evlog_check_settings(const struct settings_cfg *s, const char *path, FILE *err);

/* ---- pcap of dropped MSUs (LINKTYPE_EXPORTED_PDU or a fake SCTP/IP frame
 * that tshark decodes as M3UA). */
struct droppcap;
struct droppcap *droppcap_open(const char *path, FILE *err);
void droppcap_write(struct droppcap *p, const uint8_t *msg, size_t len, const struct msu_meta *meta);
void droppcap_close(struct droppcap *p);
/* Additions (F2): records written, and records lost (write error, or the
 * file would pass max_bytes: 1 GiB from droppcap_open, droppcap_set_limit
 * changes it, 0 = unbounded). */
uint64_t droppcap_written(const struct droppcap *p);
uint64_t droppcap_lost(const struct droppcap *p);
void droppcap_set_limit(struct droppcap *p, uint64_t max_bytes);

/* ---- Prometheus metrics over HTTP/1.x (GET /metrics), served from the
 * event loop: non-blocking, bounded request size, one response, close. */
typedef void (*metrics_render_fn)(void *arg, FILE *out);
struct metrics_srv;
struct metrics_srv *metrics_srv_open(struct loop *l, const char *addr, uint16_t port,
				     metrics_render_fn render, void *arg, FILE *err);
void metrics_srv_close(struct metrics_srv *m);
/* Additions (F2): the bound port (useful when opened with port 0 = any);
 * connections open now; per-connection timeout (default METRICS_TIMEOUT_MS). */
#define METRICS_TIMEOUT_MS 5000
uint16_t metrics_srv_port(const struct metrics_srv *m);
unsigned metrics_srv_connections(const struct metrics_srv *m);
void metrics_srv_set_timeout(struct metrics_srv *m, unsigned ms);

/* ---- service manager (sd_notify; a no-op outside systemd) */
void svc_notify_ready(void);
void svc_notify_reloading(void);
void svc_notify_stopping(void);
void svc_notify_status(const char *fmt, ...);
/* Additions (F2): WATCHDOG=1 (call at least every svc_watchdog_ms()/2 when
 * that is not 0); drop root to user (setgroups, setgid, setuid; call after
 * the sockets are bound). "" or NULL keeps the current user. Returns 0, or
 * -1 with the reason written to err. */
void svc_notify_watchdog(void);
uint64_t svc_watchdog_ms(void);
int svc_drop_privileges(const char *user, FILE *err);

#endif
