// SPDX-License-Identifier: GPL-2.0
/*
 * A program run against the library kernel (kgrind-run) keeps the
 * terminal, or whatever its caller redirected its standard streams to:
 * its descriptors 0, 1 and 2 are files of this kernel whose reads, writes
 * and terminal requests go to the host's descriptor of the same number.
 * The bytes still pass through kernel buffers, so a write of bytes the
 * program never set is reported as such, as for any other file.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/termios.h>
#include <linux/uaccess.h>
#include <asm/kgrind.h>
#include <asm/kgrind_fixture.h>

#define KGRIND_STDIO_CHUNK	(16 * 1024)

static long kgrind_stdio_number(struct file *file)
{
	return (long)file->private_data;
}

static ssize_t kgrind_stdio_read(struct file *file, char __user *buf, size_t len,
				 loff_t *pos)
{
	char *chunk;
	long n;

	len = min_t(size_t, len, KGRIND_STDIO_CHUNK);
	chunk = kmalloc(len ?: 1, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	n = kgrind_host->stdio_io(kgrind_stdio_number(file), 0, chunk, len);
	if (n > 0 && copy_to_user(buf, chunk, n))
		n = -EFAULT;
	kfree(chunk);
	return n;
}

static ssize_t kgrind_stdio_write(struct file *file, const char __user *buf, size_t len,
				  loff_t *pos)
{
	size_t done = 0;
	char *chunk;
	long n = 0;

	chunk = kmalloc(min_t(size_t, len, KGRIND_STDIO_CHUNK) ?: 1, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	while (done < len) {
		size_t part = min_t(size_t, len - done, KGRIND_STDIO_CHUNK);

		if (copy_from_user(chunk, buf + done, part)) {
			n = -EFAULT;
			break;
		}
		n = kgrind_host->stdio_io(kgrind_stdio_number(file), 1, chunk, part);
		if (n <= 0)
			break;
		done += n;
		if (n < part)
			break;
	}
	kfree(chunk);
	return done ? done : n;
}

static long kgrind_stdio_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	union {
		struct termios termios;
		struct winsize winsize;
	} req;
	size_t size;
	long ret;

	switch (cmd) {
	case TCGETS:
		size = sizeof(req.termios);
		break;
	case TIOCGWINSZ:
		size = sizeof(req.winsize);
		break;
	default:
		return -ENOTTY;
	}
	ret = kgrind_host->stdio_ioctl(kgrind_stdio_number(file), cmd, &req);
	if (!ret && copy_to_user((void __user *)arg, &req, size))
		ret = -EFAULT;
	return ret;
}

/* Always ready: a read then waits on the host's descriptor. */
static __poll_t kgrind_stdio_poll(struct file *file, poll_table *wait)
{
	return kgrind_stdio_number(file) ? EPOLLOUT | EPOLLWRNORM : EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations kgrind_stdio_fops = {
	.read		= kgrind_stdio_read,
	.write		= kgrind_stdio_write,
	.unlocked_ioctl	= kgrind_stdio_ioctl,
	.poll		= kgrind_stdio_poll,
};

static const char *const kgrind_stdio_names[] = {
	"[kgrind-stdin]", "[kgrind-stdout]", "[kgrind-stderr]",
};

/* Descriptors 0, 1 and 2 of the calling task's process become the host's. */
static long kgrind_host_stdio(long unused)
{
	long n;

	for (n = 0; n < 3; n++) {
		struct file *file;
		int err;

		file = anon_inode_getfile(kgrind_stdio_names[n], &kgrind_stdio_fops,
					  (void *)n, n ? O_WRONLY : O_RDONLY);
		if (IS_ERR(file))
			return PTR_ERR(file);
		err = replace_fd(n, file, 0);
		fput(file);
		if (err < 0)
			return err;
	}
	return 0;
}
KG_FIXTURE("kgrind_host_stdio", kgrind_host_stdio);
