/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface of the chardev suite's fixture driver, shared by the
 * driver and the tests.  Include the ioctl macros first (<linux/ioctl.h>
 * in the kernel, <sys/ioctl.h> on the host).
 */
#ifndef KGRING_H
#define KGRING_H

#define KGRING_NAME	"kgring"
#define KGRING_MINOR	0		/* the ring buffer, a stream */
#define KGMEM_MINOR	1		/* a seekable buffer */
#define KGRING_SIZE	4096
#define KGMEM_SIZE	4096
#define KGMISC_NAME	"kgmisc"
#define KGMISC_TEXT	"kgmisc: a misc device\n"

#define KGRING_IOC_MAGIC	'k'
/* bytes waiting in the ring */
#define KGRING_GET_COUNT	_IOR(KGRING_IOC_MAGIC, 1, unsigned int)
/* files open on the ring */
#define KGRING_GET_OPENS	_IOR(KGRING_IOC_MAGIC, 2, unsigned int)
/* how many bytes the ring holds, 1 to KGRING_SIZE (EINVAL otherwise) */
#define KGRING_SET_LIMIT	_IOW(KGRING_IOC_MAGIC, 3, unsigned int)
/* empties the ring */
#define KGRING_RESET		_IO(KGRING_IOC_MAGIC, 4)

#endif
