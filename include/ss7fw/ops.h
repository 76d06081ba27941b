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

/* ---- pcap of dropped MSUs (LINKTYPE_EXPORTED_PDU or a fake SCTP/IP frame
 * that tshark decodes as M3UA). */
struct droppcap;
struct droppcap *droppcap_open(const char *path, FILE *err);
void droppcap_write(struct droppcap *p, const uint8_t *msg, size_t len, const struct msu_meta *meta);
void droppcap_close(struct droppcap *p);

/* ---- Prometheus metrics over HTTP/1.x (GET /metrics), served from the
 * event loop: non-blocking, bounded request size, one response, close. */
typedef void (*metrics_render_fn)(void *arg, FILE *out);
struct metrics_srv;
struct metrics_srv *metrics_srv_open(struct loop *l, const char *addr, uint16_t port,
				     metrics_render_fn render, void *arg, FILE *err);
void metrics_srv_close(struct metrics_srv *m);

/* ---- service manager (sd_notify; a no-op outside systemd) */
void svc_notify_ready(void);
void svc_notify_reloading(void);
void svc_notify_stopping(void);
void svc_notify_status(const char *fmt, ...);

#endif
