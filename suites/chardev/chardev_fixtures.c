// SPDX-License-Identifier: GPL-2.0
/*
 * The chardev suite's driver, written as a driver author writes one: a
 * dynamically allocated major with two minors (kgring.h), each its own
 * cdev, and a misc device.
 *
 * - kgring (minor 0): a ring buffer, a stream.  A read blocks until
 *   there is data and a write until there is room, on wait queues that
 *   poll() waits on too; with O_NONBLOCK they return EAGAIN instead.
 * - kgmem (minor 1): a fixed buffer with a file position (llseek,
 *   pread, pwrite).
 * - kgmisc: a misc device that reads as a fixed text.
 *
 * Fixtures register it all (returning the major) and unregister it.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/kgrind_fixture.h>
#include "kgring.h"

struct kgring {
	struct mutex lock;
	wait_queue_head_t readers;	/* wait for data */
	wait_queue_head_t writers;	/* wait for room */
	unsigned int head, count, limit, opens;
	char buf[KGRING_SIZE];
};

struct kgdev {
	dev_t base;
	struct cdev ring_cdev, mem_cdev;
	struct kgring ring;
	struct mutex mem_lock;
	atomic_t mem_opens;
	char mem[KGMEM_SIZE];
};

static struct kgdev *kgdev;

/* kgring ---------------------------------------------------------------- */

static int kgring_open(struct inode *inode, struct file *file)
{
	struct kgdev *dev = container_of(inode->i_cdev, struct kgdev, ring_cdev);

	file->private_data = &dev->ring;
	mutex_lock(&dev->ring.lock);
	dev->ring.opens++;
	mutex_unlock(&dev->ring.lock);
	return stream_open(inode, file);
}

static int kgring_release(struct inode *inode, struct file *file)
{
	struct kgring *ring = file->private_data;

	mutex_lock(&ring->lock);
	ring->opens--;
	mutex_unlock(&ring->lock);
	return 0;
}

static unsigned int kgring_room(const struct kgring *ring)
{
	return ring->count < ring->limit ? ring->limit - ring->count : 0;
}

/*
 * Takes the ring's lock once the ring is ready(): at once, after waiting
 * on wq, or not at all (a negative errno).
 */
static int kgring_lock_when(struct kgring *ring, struct file *file,
			    wait_queue_head_t *wq,
			    bool (*ready)(const struct kgring *ring))
{
	for (;;) {
		if (mutex_lock_interruptible(&ring->lock))
			return -ERESTARTSYS;
		if (ready(ring))
			return 0;
		mutex_unlock(&ring->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(*wq, ready(ring)))
			return -ERESTARTSYS;
	}
}

static bool kgring_has_data(const struct kgring *ring)
{
	return READ_ONCE(ring->count) != 0;
}

static bool kgring_has_room(const struct kgring *ring)
{
	return kgring_room(ring) != 0;
}

static ssize_t kgring_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct kgring *ring = file->private_data;
	size_t n, first;
	int err;

	if (!len)
		return 0;
	err = kgring_lock_when(ring, file, &ring->readers, kgring_has_data);
	if (err)
		return err;
	n = min_t(size_t, len, ring->count);
	first = min_t(size_t, n, KGRING_SIZE - ring->head);
	if (copy_to_user(buf, ring->buf + ring->head, first) ||
	    copy_to_user(buf + first, ring->buf, n - first)) {
		mutex_unlock(&ring->lock);
		return -EFAULT;
	}
	ring->head = (ring->head + n) % KGRING_SIZE;
	ring->count -= n;
	mutex_unlock(&ring->lock);
	wake_up_interruptible(&ring->writers);
	return n;
}

static ssize_t kgring_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	struct kgring *ring = file->private_data;
	size_t n, tail, first;
	int err;

	if (!len)
		return 0;
	err = kgring_lock_when(ring, file, &ring->writers, kgring_has_room);
	if (err)
		return err;
	n = min_t(size_t, len, kgring_room(ring));
	tail = (ring->head + ring->count) % KGRING_SIZE;
	first = min_t(size_t, n, KGRING_SIZE - tail);
	if (copy_from_user(ring->buf + tail, buf, first) ||
	    copy_from_user(ring->buf, buf + first, n - first)) {
		mutex_unlock(&ring->lock);
		return -EFAULT;
	}
	ring->count += n;
	mutex_unlock(&ring->lock);
	wake_up_interruptible(&ring->readers);
	return n;
}

static __poll_t kgring_poll(struct file *file, poll_table *wait)
{
	struct kgring *ring = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &ring->readers, wait);
	poll_wait(file, &ring->writers, wait);
	mutex_lock(&ring->lock);
	if (ring->count)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (kgring_room(ring))
		mask |= EPOLLOUT | EPOLLWRNORM;
	mutex_unlock(&ring->lock);
	return mask;
}

static long kgring_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kgring *ring = file->private_data;
	unsigned int __user *uarg = (unsigned int __user *)arg;
	unsigned int value;
	long ret = 0;

	switch (cmd) {
	case KGRING_GET_COUNT:
	case KGRING_GET_OPENS:
		mutex_lock(&ring->lock);
		value = cmd == KGRING_GET_COUNT ? ring->count : ring->opens;
		mutex_unlock(&ring->lock);
		return put_user(value, uarg);
	case KGRING_SET_LIMIT:
		if (get_user(value, uarg))
			return -EFAULT;
		if (!value || value > KGRING_SIZE)
			return -EINVAL;
		mutex_lock(&ring->lock);
		ring->limit = value;
		mutex_unlock(&ring->lock);
		break;
	case KGRING_RESET:
		mutex_lock(&ring->lock);
		ring->head = ring->count = 0;
		mutex_unlock(&ring->lock);
		break;
	default:
		return -ENOTTY;
	}
	wake_up_interruptible(&ring->writers);
	return ret;
}

static const struct file_operations kgring_fops = {
	.owner = THIS_MODULE,
	.open = kgring_open,
	.release = kgring_release,
	.read = kgring_read,
	.write = kgring_write,
	.poll = kgring_poll,
	.unlocked_ioctl = kgring_ioctl,
	.llseek = noop_llseek,	/* never called: stream_open */
};

/* kgmem ----------------------------------------------------------------- */

static int kgmem_open(struct inode *inode, struct file *file)
{
	struct kgdev *dev = container_of(inode->i_cdev, struct kgdev, mem_cdev);

	file->private_data = dev;
	atomic_inc(&dev->mem_opens);
	return 0;
}

static int kgmem_release(struct inode *inode, struct file *file)
{
	struct kgdev *dev = file->private_data;

	atomic_dec(&dev->mem_opens);
	return 0;
}

static ssize_t kgmem_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	struct kgdev *dev = file->private_data;
	size_t n;

	if (*ppos >= KGMEM_SIZE)
		return 0;
	n = min_t(size_t, len, KGMEM_SIZE - *ppos);
	mutex_lock(&dev->mem_lock);
	if (copy_to_user(buf, dev->mem + *ppos, n)) {
		mutex_unlock(&dev->mem_lock);
		return -EFAULT;
	}
	mutex_unlock(&dev->mem_lock);
	*ppos += n;
	return n;
}

static ssize_t kgmem_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct kgdev *dev = file->private_data;
	size_t n;

	if (*ppos >= KGMEM_SIZE)
		return len ? -ENOSPC : 0;
	n = min_t(size_t, len, KGMEM_SIZE - *ppos);
	mutex_lock(&dev->mem_lock);
	if (copy_from_user(dev->mem + *ppos, buf, n)) {
		mutex_unlock(&dev->mem_lock);
		return -EFAULT;
	}
	mutex_unlock(&dev->mem_lock);
	*ppos += n;
	return n;
}

static loff_t kgmem_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_END:
		pos = KGMEM_SIZE + offset;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > KGMEM_SIZE)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}

static const struct file_operations kgmem_fops = {
	.owner = THIS_MODULE,
	.open = kgmem_open,
	.release = kgmem_release,
	.read = kgmem_read,
	.write = kgmem_write,
	.llseek = kgmem_llseek,
};

/* kgmisc ---------------------------------------------------------------- */

static ssize_t kgmisc_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	static const char text[] = KGMISC_TEXT;

	return simple_read_from_buffer(buf, len, ppos, text, sizeof(text) - 1);
}

static const struct file_operations kgmisc_fops = {
	.owner = THIS_MODULE,
	.read = kgmisc_read,
	.llseek = default_llseek,
};

static struct miscdevice kgmisc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KGMISC_NAME,
	.fops = &kgmisc_fops,
};

/* Registration --------------------------------------------------------- */

static long chardev_register(long arg)
{
	struct kgdev *dev;
	int err;

	if (kgdev)
		return -EBUSY;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	mutex_init(&dev->ring.lock);
	init_waitqueue_head(&dev->ring.readers);
	init_waitqueue_head(&dev->ring.writers);
	dev->ring.limit = KGRING_SIZE;
	mutex_init(&dev->mem_lock);

	err = alloc_chrdev_region(&dev->base, 0, 2, KGRING_NAME);
	if (err)
		goto free;
	cdev_init(&dev->ring_cdev, &kgring_fops);
	cdev_init(&dev->mem_cdev, &kgmem_fops);
	err = cdev_add(&dev->ring_cdev, dev->base + KGRING_MINOR, 1);
	if (err)
		goto unregion;
	err = cdev_add(&dev->mem_cdev, dev->base + KGMEM_MINOR, 1);
	if (err)
		goto del_ring;
	err = misc_register(&kgmisc);
	if (err)
		goto del_mem;
	kgdev = dev;
	return MAJOR(dev->base);

del_mem:
	cdev_del(&dev->mem_cdev);
del_ring:
	cdev_del(&dev->ring_cdev);
unregion:
	unregister_chrdev_region(dev->base, 2);
free:
	kfree(dev);
	return err;
}
KG_FIXTURE("chardev_register", chardev_register);

/*
 * Open files hold the cdevs, which live in the device: it is not freed
 * under them (EBUSY).
 */
static long chardev_unregister(long arg)
{
	struct kgdev *dev = kgdev;

	if (!dev)
		return -ENODEV;
	if (READ_ONCE(dev->ring.opens) || atomic_read(&dev->mem_opens))
		return -EBUSY;
	misc_deregister(&kgmisc);
	cdev_del(&dev->mem_cdev);
	cdev_del(&dev->ring_cdev);
	unregister_chrdev_region(dev->base, 2);
	kgdev = NULL;
	kfree(dev);
	return 0;
}
KG_FIXTURE("chardev_unregister", chardev_unregister);
