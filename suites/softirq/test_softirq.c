// SPDX-License-Identifier: GPL-2.0
/*
 * The softirq suite: tasklets, timers, hrtimers, bottom-half disabling
 * and ksoftirqd (fixtures in softirq_fixtures.c), and the network
 * receive path over loopback (netif_rx -> net_rx_action -> ip_rcv ->
 * udp_rcv or tcp_v4_rcv -> socket queue -> wake-up) driven by system
 * calls from host threads.  Each test that exercises a softirq kind
 * checks that its /proc/softirqs counter grew.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"

/* The interrupt line the host raises for the fixtures' handler. */
#define SUITE_IRQ	5

enum { MODE_TASKLET, MODE_TASKLET_HI, MODE_FLOOD };

/* The CPU0 count of a /proc/softirqs line ("TASKLET"), or -1. */
static long softirq_count(const char *kind)
{
	char text[4096], want[32];
	const char *line;

	if (kg_read_file("/proc/softirqs", text, sizeof(text)) < 0)
		return -1;
	snprintf(want, sizeof(want), " %s:", kind);
	line = strstr(text, want);
	return line ? strtol(line + strlen(want), NULL, 10) : -1;
}

/* Runs a fixture and checks the softirq kind's counter grew meanwhile. */
static long call_counting(const char *kind, const char *fixture, long arg)
{
	long before = softirq_count(kind), result;

	CU_ASSERT_FATAL(before >= 0);
	result = kg_call(fixture, arg);
	CU_ASSERT(softirq_count(kind) > before);
	return result;
}

static void host_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_proc_softirqs_lists_kinds(void)
{
	static const char *const kinds[] = { "HI", "TIMER", "NET_TX", "NET_RX",
					     "BLOCK", "TASKLET", "SCHED",
					     "HRTIMER", "RCU" };
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		CU_ASSERT(softirq_count(kinds[i]) >= 0);
}

/* Tasklets -------------------------------------------------------------- */

static void test_tasklet_from_task(void)
{
	CU_ASSERT_EQUAL(call_counting("TASKLET", "tasklet_from_task", 0), 1);
}

static void test_tasklet_hi_from_task(void)
{
	CU_ASSERT_EQUAL(call_counting("HI", "tasklet_from_task", 1), 1);
}

/* The host raises the line; the handler schedules; the tasklet runs. */
static void tasklet_from_irq(const char *kind, int mode)
{
	long before = softirq_count(kind);

	CU_ASSERT_EQUAL_FATAL(kg_call("irq_expect", mode), 0);
	kg_irq(SUITE_IRQ);
	CU_ASSERT_EQUAL(kg_call("irq_tasklet_wait", 0), 1);
	CU_ASSERT(softirq_count(kind) > before);
}

static void test_tasklet_from_irq(void)
{
	tasklet_from_irq("TASKLET", MODE_TASKLET);
}

static void test_tasklet_hi_from_irq(void)
{
	tasklet_from_irq("HI", MODE_TASKLET_HI);
}

static void test_tasklet_once_per_schedule(void)
{
	CU_ASSERT_EQUAL(call_counting("TASKLET", "tasklet_once_per_schedule", 0), 1);
}

static void test_tasklet_disable_defers(void)
{
	/* none while disabled, one once enabled */
	CU_ASSERT_EQUAL(call_counting("TASKLET", "tasklet_disable_defers", 0), 1);
}

static void test_tasklet_kill_waits(void)
{
	CU_ASSERT_EQUAL(call_counting("TASKLET", "tasklet_kill_waits", 0), 1);
}

static void test_bh_disable_nesting_defers(void)
{
	/* 0 inside, 0 after the inner enable, 1 after the outer one */
	CU_ASSERT_EQUAL(call_counting("TASKLET", "bh_disable_nesting", 0), 1);
}

/*
 * 5000 self-rescheduling tasklet runs started from an interrupt: softirq
 * processing on the interrupt's way out gives up after a few rounds or
 * 2 ms, and ksoftirqd takes over.  (Which task the first runs interrupt
 * depends on timing: it may be ksoftirqd itself.)
 */
static void test_softirq_flood_goes_to_ksoftirqd(void)
{
	long before = softirq_count("TASKLET"), result;

	CU_ASSERT_EQUAL_FATAL(kg_call("irq_expect", MODE_FLOOD | 5000 << 8), 0);
	kg_irq(SUITE_IRQ);
	result = kg_call("irq_flood_wait", 0);
	CU_ASSERT_FATAL(result >= 0);
	CU_ASSERT_EQUAL(result / 1000000 + result % 1000000, 5000);
	CU_ASSERT(result / 1000000 > 0);	/* in ksoftirqd */
	CU_ASSERT(softirq_count("TASKLET") >= before + 5000);
}

/* Timers ---------------------------------------------------------------- */

static void test_timers_fire_in_order(void)
{
	CU_ASSERT_EQUAL(call_counting("TIMER", "timers_in_order", 0), 231);
}

static void test_mod_timer_moves_pending_timer(void)
{
	/* mod_timer said it was pending; it fired once */
	CU_ASSERT_EQUAL(call_counting("TIMER", "mod_timer_moves", 0), 11);
}

static void test_timer_delete_cancels_pending(void)
{
	CU_ASSERT_EQUAL(kg_call("timer_delete_pending", 0), 10);
}

static void test_timer_delete_sync_stops_rearming_timer(void)
{
	CU_ASSERT(call_counting("TIMER", "timer_delete_sync_rearming", 0) >= 3);
}

static void test_hrtimer_hard_runs_in_hardirq(void)
{
	CU_ASSERT_EQUAL(kg_call("hrtimer_fires", 0), 10);
}

static void test_hrtimer_soft_runs_in_softirq(void)
{
	CU_ASSERT_EQUAL(call_counting("HRTIMER", "hrtimer_fires", 1), 1);
}

static void test_hrtimer_restarts_itself(void)
{
	CU_ASSERT_EQUAL(kg_call("hrtimer_periodic", 5), 5);
}

static void test_hrtimer_cancel_pending(void)
{
	CU_ASSERT_EQUAL(kg_call("hrtimer_cancel_pending", 0), 10);
}

/* The network receive path over loopback ------------------------------ */

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

#define SA(a) ((struct sockaddr *)&(a))

static int new_socket(int type)
{
	long fd = kg_socket(AF_INET, type, 0);

	CU_ASSERT_FATAL(fd >= 0);
	return (int)fd;
}

/*
 * A socket bound to 127.0.0.1 on a port the kernel picks; port set.  What
 * it waits for can be lost (make failsweep fails an allocation on its
 * way: a datagram, a connection, or a FIN, which tcp_send_fin() does not
 * send when it cannot allocate it): a receive or an accept then gives up
 * after 5 s, failing the test, instead of waiting for ever.  Sockets it
 * accepts inherit the limit.  Over loopback what is sent comes at once,
 * memcheck or not.
 */
static int bound_socket(int type, unsigned short *port)
{
	static const struct timeval patience = { .tv_sec = 5 };
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int fd = new_socket(type);

	CU_ASSERT_EQUAL(kg_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience,
				      sizeof(patience)), 0);
	CU_ASSERT_EQUAL_FATAL(kg_bind(fd, SA(a), sizeof(a)), 0);
	CU_ASSERT_EQUAL_FATAL(kg_getsockname(fd, SA(a), &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* lo's packets received, from /proc/net/dev; -1 if not listed. */
static long lo_rx_packets(void)
{
	char text[4096];
	const char *line;
	long bytes, packets;

	if (kg_read_file("/proc/net/dev", text, sizeof(text)) < 0)
		return -1;
	line = strstr(text, "lo:");
	if (!line || sscanf(line + 3, "%ld %ld", &bytes, &packets) != 2)
		return -1;
	return packets;
}

static void test_loopback_is_up(void)
{
	long want = KG_IFF_UP | KG_IFF_LOOPBACK | KG_IFF_RUNNING;
	uint32_t addr = 0;

	CU_ASSERT_EQUAL(kg_netif_flags("lo") & want, want);
	CU_ASSERT_EQUAL(kg_netif_ipv4("lo", &addr), 0);
	CU_ASSERT_EQUAL(addr, htonl(INADDR_LOOPBACK));
	CU_ASSERT(lo_rx_packets() >= 0);
	CU_ASSERT_EQUAL(kg_netif_flags("nosuch0"), -ENODEV);
}

static void test_udp_loopback_roundtrip(void)
{
	long rx = softirq_count("NET_RX"), lo_rx = lo_rx_packets();
	unsigned short port;
	int rfd = bound_socket(SOCK_DGRAM, &port), sfd = new_socket(SOCK_DGRAM);
	struct sockaddr_in to = loopback(port), from = { 0 };
	socklen_t fromlen = sizeof(from);
	char buf[64] = "";

	/* Fatal: a datagram never sent is not waited for. */
	CU_ASSERT_EQUAL_FATAL(kg_sendto(sfd, "over lo", 7, 0, SA(to), sizeof(to)), 7);
	CU_ASSERT_EQUAL(kg_recvfrom(rfd, buf, sizeof(buf), 0, SA(from), &fromlen), 7);
	CU_ASSERT_NSTRING_EQUAL(buf, "over lo", 7);
	CU_ASSERT_EQUAL(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	CU_ASSERT(softirq_count("NET_RX") > rx);
	CU_ASSERT(lo_rx_packets() > lo_rx);
	kg_close(sfd);
	kg_close(rfd);
}

static void test_udp_many_datagrams_in_order(void)
{
	unsigned short port;
	int rfd = bound_socket(SOCK_DGRAM, &port), sfd = new_socket(SOCK_DGRAM);
	struct sockaddr_in to = loopback(port);
	int i, sent, wrong = 0;

	/* Only what was sent is waited for: a failed send (make failsweep)
	 * would otherwise cost the receive timeout. */
	for (sent = 0; sent < 100; sent++)
		if (kg_sendto(sfd, &sent, sizeof(sent), 0, SA(to), sizeof(to)) != sizeof(sent))
			break;
	CU_ASSERT_EQUAL(sent, 100);
	for (i = 0; i < sent; i++) {
		int got = -1;

		if (kg_recvfrom(rfd, &got, sizeof(got), 0, NULL, NULL) != sizeof(got) ||
		    got != i)
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	kg_close(sfd);
	kg_close(rfd);
}

static void test_udp_nonblocking_empty_eagain(void)
{
	unsigned short port;
	int fd = bound_socket(SOCK_DGRAM, &port);
	char c;

	CU_ASSERT_EQUAL(kg_recvfrom(fd, &c, 1, MSG_DONTWAIT, NULL, NULL), -EAGAIN);
	kg_close(fd);
}

static void test_udp_oversized_datagram_emsgsize(void)
{
	static char big[70000];
	unsigned short port;
	int rfd = bound_socket(SOCK_DGRAM, &port), sfd = new_socket(SOCK_DGRAM);
	struct sockaddr_in to = loopback(port);

	CU_ASSERT_EQUAL(kg_sendto(sfd, big, sizeof(big), 0, SA(to), sizeof(to)), -EMSGSIZE);
	kg_close(sfd);
	kg_close(rfd);
}

struct sender {
	int fd;
	unsigned short port;
	long delay_ms;
	const void *data;
	size_t len;
	long result;
	unsigned long long sum;	/* of what it sent */
	int wake_fd;		/* the peer to wake if the connect or send fails */
};

static void *udp_sender(void *arg)
{
	struct sender *s = arg;
	struct sockaddr_in to = loopback(s->port);

	host_sleep_ms(s->delay_ms);
	s->result = kg_sendto(s->fd, s->data, s->len, 0, SA(to), sizeof(to));
	/* A send failed (make failsweep): the receiver is not left waiting
	 * for its timeout; shutting its reading down wakes it with 0. */
	if (s->result != (long)s->len)
		kg_shutdown(s->wake_fd, SHUT_RD);
	return NULL;
}

/* The receiver sleeps in recvfrom until the datagram wakes it. */
static void test_udp_blocking_recv_woken_by_sender(void)
{
	unsigned short port;
	int rfd = bound_socket(SOCK_DGRAM, &port);
	struct sender s = { .fd = new_socket(SOCK_DGRAM), .delay_ms = 200,
			    .data = "wake", .len = 4 };
	long rx = softirq_count("NET_RX");
	pthread_t thread;
	char buf[16] = "";

	if (kg_virtual_time()) {
		kg_close(s.fd);
		kg_close(rfd);
		kg_test_skip("the sender comes after a host delay; in virtual time the receive times out first");
		return;
	}
	s.port = port;
	s.wake_fd = rfd;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, udp_sender, &s), 0);
	CU_ASSERT_EQUAL(kg_recvfrom(rfd, buf, sizeof(buf), 0, NULL, NULL), 4);
	pthread_join(thread, NULL);
	CU_ASSERT_EQUAL(s.result, 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "wake", 4);
	CU_ASSERT(softirq_count("NET_RX") > rx);
	kg_close(s.fd);
	kg_close(rfd);
}

static unsigned long long fnv1a(const unsigned char *p, size_t len,
				unsigned long long h)
{
	while (len--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

#define FNV_START 14695981039346656037ULL
#define TCP_BYTES (4UL << 20)
#define TCP_CHUNK (64UL << 10)

/* Connects to 127.0.0.1:port and sends TCP_BYTES of a pattern. */
static void *tcp_client(void *arg)
{
	static unsigned char chunk[TCP_CHUNK];
	struct sender *s = arg;
	struct sockaddr_in to = loopback(s->port);
	unsigned long sent = 0;
	size_t i;

	s->sum = FNV_START;
	s->result = kg_connect(s->fd, SA(to), sizeof(to));
	/* Failed (make failsweep): the accept waiting for it gives up. */
	if (s->result)
		kg_shutdown(s->wake_fd, SHUT_RDWR);
	while (!s->result && sent < TCP_BYTES) {
		size_t off = 0;

		for (i = 0; i < TCP_CHUNK; i++)
			chunk[i] = (unsigned char)((sent + i) * 7 + ((sent + i) >> 12));
		s->sum = fnv1a(chunk, TCP_CHUNK, s->sum);
		while (off < TCP_CHUNK) {
			long n = kg_sendto(s->fd, chunk + off, TCP_CHUNK - off,
					   MSG_NOSIGNAL, NULL, 0);

			if (n <= 0) {
				s->result = n ? n : -EIO;
				break;
			}
			off += n;
		}
		sent += TCP_CHUNK;
	}
	kg_shutdown(s->fd, SHUT_WR);
	return NULL;
}

static void test_tcp_4mib_between_two_threads(void)
{
	static unsigned char buf[TCP_CHUNK];
	unsigned short port;
	int lfd = bound_socket(SOCK_STREAM, &port), cfd;
	struct sender client = { .fd = new_socket(SOCK_STREAM) };
	unsigned long long sum = FNV_START;
	unsigned long total = 0;
	long rx = softirq_count("NET_RX"), n;
	pthread_t thread;

	if (kg_virtual_time()) {
		kg_close(client.fd);
		kg_close(lfd);
		kg_test_skip("two host threads race; in virtual time the clock jumps while one is outside the kernel");
		return;
	}
	client.port = port;
	client.wake_fd = lfd;
	CU_ASSERT_EQUAL_FATAL(kg_listen(lfd, 1), 0);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, tcp_client, &client), 0);
	cfd = (int)kg_accept(lfd, NULL, NULL);
	CU_ASSERT(cfd >= 0);
	/* Failed (make failsweep): the client's sends, with no reader, would
	 * wait for ever; shut down, they fail. */
	if (cfd < 0)
		kg_shutdown(client.fd, SHUT_RDWR);
	while (cfd >= 0 && (n = kg_recvfrom(cfd, buf, sizeof(buf), 0, NULL, NULL)) > 0) {
		sum = fnv1a(buf, n, sum);
		total += n;
	}
	pthread_join(thread, NULL);
	CU_ASSERT_EQUAL(client.result, 0);
	CU_ASSERT_EQUAL(total, TCP_BYTES);
	CU_ASSERT_EQUAL(sum, client.sum);
	CU_ASSERT(softirq_count("NET_RX") > rx);
	if (cfd >= 0)
		kg_close(cfd);
	kg_close(client.fd);
	kg_close(lfd);
}

/* What the peer sent before it closed is read, then end of file. */
static void test_tcp_peer_close_eof(void)
{
	unsigned short port;
	int lfd = bound_socket(SOCK_STREAM, &port), cfd, afd;
	struct sockaddr_in to = loopback(port);
	char buf[8] = "";

	CU_ASSERT_EQUAL_FATAL(kg_listen(lfd, 1), 0);
	cfd = new_socket(SOCK_STREAM);
	CU_ASSERT_EQUAL_FATAL(kg_connect(cfd, SA(to), sizeof(to)), 0);
	afd = (int)kg_accept(lfd, NULL, NULL);
	CU_ASSERT_FATAL(afd >= 0);
	CU_ASSERT_EQUAL(kg_sendto(cfd, "bye", 3, 0, NULL, 0), 3);
	CU_ASSERT_EQUAL(kg_close(cfd), 0);
	CU_ASSERT_EQUAL(kg_recvfrom(afd, buf, 3, MSG_WAITALL, NULL, NULL), 3);
	CU_ASSERT_NSTRING_EQUAL(buf, "bye", 3);
	CU_ASSERT_EQUAL(kg_recvfrom(afd, buf, sizeof(buf), 0, NULL, NULL), 0);	/* EOF */
	kg_close(afd);
	kg_close(lfd);
}

static void test_tcp_connection_refused(void)
{
	unsigned short port;
	int fd = bound_socket(SOCK_STREAM, &port), cfd = new_socket(SOCK_STREAM);
	struct sockaddr_in to = loopback(port);

	/* bound, not listening: the SYN gets a reset */
	CU_ASSERT_EQUAL(kg_connect(cfd, SA(to), sizeof(to)), -ECONNREFUSED);
	kg_close(cfd);
	kg_close(fd);
}

static void test_socket_errors(void)
{
	unsigned short port;
	int fd = bound_socket(SOCK_DGRAM, &port), other = new_socket(SOCK_DGRAM);
	struct sockaddr_in same = loopback(port);

	CU_ASSERT_EQUAL(kg_socket(AF_INET6, SOCK_STREAM, 0), -EAFNOSUPPORT);
	CU_ASSERT_EQUAL(kg_bind(other, SA(same), sizeof(same)), -EADDRINUSE);
	CU_ASSERT_EQUAL(kg_listen(fd, 1), -EOPNOTSUPP);	/* a datagram socket */
	kg_close(other);
	kg_close(fd);
}

static CU_TestInfo softirq_tests[] = {
	{ "proc_softirqs_lists_kinds", test_proc_softirqs_lists_kinds },
	{ "tasklet_from_task", test_tasklet_from_task },
	{ "tasklet_hi_from_task", test_tasklet_hi_from_task },
	{ "tasklet_from_irq", test_tasklet_from_irq },
	{ "tasklet_hi_from_irq", test_tasklet_hi_from_irq },
	{ "tasklet_once_per_schedule", test_tasklet_once_per_schedule },
	{ "tasklet_disable_defers", test_tasklet_disable_defers },
	{ "tasklet_kill_waits", test_tasklet_kill_waits },
	{ "bh_disable_nesting_defers", test_bh_disable_nesting_defers },
	{ "softirq_flood_goes_to_ksoftirqd", test_softirq_flood_goes_to_ksoftirqd },
	{ "timers_fire_in_order", test_timers_fire_in_order },
	{ "mod_timer_moves_pending_timer", test_mod_timer_moves_pending_timer },
	{ "timer_delete_cancels_pending", test_timer_delete_cancels_pending },
	{ "timer_delete_sync_stops_rearming_timer", test_timer_delete_sync_stops_rearming_timer },
	{ "hrtimer_hard_runs_in_hardirq", test_hrtimer_hard_runs_in_hardirq },
	{ "hrtimer_soft_runs_in_softirq", test_hrtimer_soft_runs_in_softirq },
	{ "hrtimer_restarts_itself", test_hrtimer_restarts_itself },
	{ "hrtimer_cancel_pending", test_hrtimer_cancel_pending },
	{ "loopback_is_up", test_loopback_is_up },
	{ "udp_loopback_roundtrip", test_udp_loopback_roundtrip },
	{ "udp_many_datagrams_in_order", test_udp_many_datagrams_in_order },
	{ "udp_nonblocking_empty_eagain", test_udp_nonblocking_empty_eagain },
	{ "udp_oversized_datagram_emsgsize", test_udp_oversized_datagram_emsgsize },
	{ "udp_blocking_recv_woken_by_sender", test_udp_blocking_recv_woken_by_sender },
	{ "tcp_4mib_between_two_threads", test_tcp_4mib_between_two_threads },
	{ "tcp_peer_close_eof", test_tcp_peer_close_eof },
	{ "tcp_connection_refused", test_tcp_connection_refused },
	{ "socket_errors", test_socket_errors },
	CU_TEST_INFO_NULL,
};

/* /proc, the interrupt line, and lo up (127.0.0.1 comes with it). */
static int softirq_setup(void)
{
	long err;

	if ((err = kg_mount_at("proc", "/proc", "proc")) ||
	    (err = kg_call("softirq_attach_irq", SUITE_IRQ)))
		return (int)err;
	return (int)kg_netif_up("lo");
}

static const struct kg_suite softirq_suite = {
	.name = "softirq",
	.tests = softirq_tests,
	.setup = softirq_setup,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&softirq_suite, argc, argv);
}
