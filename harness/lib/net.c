// SPDX-License-Identifier: GPL-2.0
/* Network interfaces of the kernel, through its ioctls. */
#include <net/if.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include "kgrind.h"

/* An ioctl on the named interface, through a socket made for it. */
static long kg_netif_ioctl(const char *name, unsigned long request, struct ifreq *ifr)
{
	long fd = kg_socket(AF_INET, SOCK_DGRAM, 0), err;
	size_t i;

	if (fd < 0)
		return fd;
	__builtin_memset(ifr, 0, sizeof(*ifr));
	for (i = 0; name[i] && i < sizeof(ifr->ifr_name) - 1; i++)
		ifr->ifr_name[i] = name[i];
	err = kg_ioctl((int)fd, request, (unsigned long)ifr);
	kg_close((int)fd);
	return err;
}

long kg_netif_flags(const char *name)
{
	struct ifreq ifr;
	long err = kg_netif_ioctl(name, SIOCGIFFLAGS, &ifr);

	return err ? err : (unsigned short)ifr.ifr_flags;
}

long kg_netif_up(const char *name)
{
	struct ifreq ifr;
	long err = kg_netif_ioctl(name, SIOCGIFFLAGS, &ifr), fd;

	if (err)
		return err;
	ifr.ifr_flags |= IFF_UP;
	fd = kg_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return fd;
	err = kg_ioctl((int)fd, SIOCSIFFLAGS, (unsigned long)&ifr);
	kg_close((int)fd);
	return err;
}

long kg_netif_ipv4(const char *name, uint32_t *addr)
{
	struct ifreq ifr;
	long err = kg_netif_ioctl(name, SIOCGIFADDR, &ifr);

	if (!err)
		*addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
	return err;
}
