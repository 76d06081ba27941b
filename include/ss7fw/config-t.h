/* ss7fw — the runtime parts of the configuration file: links with their
 * relay endpoints, and the settings of the running service. Parsed with the
 * policy from the same libconfig file (see docs/policy.md, docs/operations.md).
 * Endpoints and settings are read at start; a reload changes the policy only. */
#ifndef SS7FW_CONFIG_T_H
#define SS7FW_CONFIG_T_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define CFG_MAX_ADDRS   8     /* addresses of one endpoint (SCTP multi-homing) */
#define CFG_NAME_MAX    64
#define CFG_PATH_MAX    256

enum ep_transport { EP_TCP = 0, EP_SCTP };
enum ep_mode { EP_LISTEN = 0, EP_CONNECT };

/* One side of a link: how ss7fw reaches the carrier STP or the core. */
struct endpoint_cfg {
	bool present;
	uint8_t transport;            /* enum ep_transport */
	uint8_t mode;                 /* enum ep_mode */
	uint8_t n_local, n_remote;
	/* Ports are in the sockaddrs; local[] with port 0 means any. For a
	 * listener, local[0..n_local) are bound (sctp_bindx for several).
	 * remote[] are the peer's addresses: for connect, where to connect; for
	 * listen, who may connect (n_remote == 0: anyone) and, for replay, how
	 * to recognise the peer in a capture. */
	struct sockaddr_storage local[CFG_MAX_ADDRS];
	struct sockaddr_storage remote[CFG_MAX_ADDRS];
	uint16_t streams;             /* SCTP outbound streams requested (default 16) */
};

struct link_cfg {
	char name[CFG_NAME_MAX];
	char partner[CFG_NAME_MAX];   /* partner name, "" if none */
	struct endpoint_cfg carrier;  /* carrier STP side: its DATA is screened ("in") */
	struct endpoint_cfg core;     /* operator core side ("out" towards the carrier) */
};

/* Shared correlation state (group "settings.state", docs/operations.md). */
enum state_backend { STATE_LOCAL = 0, STATE_REDIS };
enum state_fail { STATE_FAIL_CLOSED = 0, STATE_FAIL_OPEN };
struct state_cfg {
	uint8_t backend;                  /* enum state_backend, default local */
	char host[CFG_NAME_MAX];          /* Redis address, default "127.0.0.1" */
	uint16_t port;                    /* default 6379 */
	char user[CFG_NAME_MAX];          /* ACL user ("" : AUTH with the password only) */
	char password_file[CFG_PATH_MAX]; /* the password, in a file only the service reads */
	bool allow_unauthenticated;       /* accept a Redis that needs no password (default no) */
	char prefix[CFG_NAME_MAX];        /* key and stream names, default "ss7fw" */
	uint32_t backlog;                 /* changes waiting to be written, default 65536 */
	uint32_t stream_max;              /* stream entries kept, default 1000000 */
	uint8_t fail;                     /* enum state_fail: stateful checks while Redis is away */
	uint32_t connect_timeout_ms;      /* default 1000 */
	bool tls;                         /* TLS towards Redis (default no) */
	char tls_ca_file[CFG_PATH_MAX];   /* CA certificates the server's must chain to (required with tls) */
	char tls_cert_file[CFG_PATH_MAX]; /* client certificate (chain), "" none */
	char tls_key_file[CFG_PATH_MAX];  /* its key, "" : in tls_cert_file */
	char tls_server_name[CFG_NAME_MAX]; /* what the certificate must name, "" : host */
};

/* Settings of the running service (group "settings"). */
struct settings_cfg {
	char metrics_addr[CFG_NAME_MAX];  /* default "127.0.0.1" */
	uint16_t metrics_port;            /* default 9105; 0 disables */
	char event_log[CFG_PATH_MAX];     /* file path, "syslog", or "" (off) */
	uint32_t event_rate;              /* event lines per second, default 1000 */
	uint32_t event_burst;             /* default 2000 */
	uint32_t allow_sample;            /* log 1 in N allows (0: none) */
	char drop_pcap[CFG_PATH_MAX];     /* pcap of dropped MSUs, "" off */
	uint32_t drop_pcap_max_mb;        /* its size bound in MiB, default 1024; 0 unbounded */
	uint32_t queue_bytes;             /* per-direction queue bound, default 4 MiB */
	uint32_t max_msg;                 /* largest M3UA message accepted, default 65536 */
	uint32_t reconnect_min_ms, reconnect_max_ms; /* backoff, default 100 .. 10000 */
	uint32_t glitch_limit;            /* protocol errors before a peer is cut off, default 16 */
	uint32_t stall_ms;                /* a peer that sent part of a message and then nothing
					   * for this long is cut off, default 10000 */
	struct state_cfg state;           /* settings.state */
	uint32_t workers;                 /* relay threads, 0 (default): one per core; at most
					   * one per link */
	char user[CFG_NAME_MAX];          /* drop privileges to this user after bind ("" keep) */
	/* SIEM outputs of the event log (docs/operations.md "SIEM") */
	bool journal;                     /* also to the systemd journal, with SS7FW_* fields */
	char syslog_server[CFG_NAME_MAX]; /* RFC 5424 collector "ip:port" / "[ipv6]:port", "" off */
	uint8_t syslog_transport;         /* enum cfg_syslog_transport, default udp */
	uint8_t syslog_facility;          /* 0..23, default 16 (local0) */
	uint32_t syslog_queue_bytes;      /* bound of the queue to the collector, default 1 MiB */
	char syslog_sd_id[CFG_NAME_MAX];  /* SD-ID, default "ss7fw@32473" (RFC 5612 example PEN) */
	uint32_t reasm_timeout_s;         /* T(reass) of Q.714, default 10 */
	uint32_t reasm_max;               /* segmented messages reassembled at once, default 1024 */
	uint32_t reasm_bytes;             /* bytes of held segments, default 1 MiB */
};

enum cfg_syslog_transport { CFG_SYSLOG_UDP = 0, CFG_SYSLOG_TCP };

#endif
