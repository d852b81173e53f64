// SPDX-License-Identifier: GPL-2.0
/*
 * Disks whose hardware is a host file.  The host attaches an image with
 * kg_disk_add() (kg_kernel_disk_add here); it appears as /dev/kgdiskN
 * once devtmpfs is mounted.  A blk-mq driver serves each request at once
 * in queue_rq: reads and writes go to the image through the host's pread
 * and pwrite (one preadv or pwritev a request), a flush (or a FUA write)
 * through fdatasync.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <asm/kgrind.h>

#define KGDISK_MAX	16
/* Segments of one request: one host call each (the host takes 256). */
#define KGDISK_SEGMENTS	256

struct kgdisk {
	void *image;		/* the host's */
	struct blk_mq_tag_set tags;
	struct gendisk *disk;
	struct mutex lock;	/* queue_rq may block (BLK_MQ_F_BLOCKING) */
	struct kg_iovec iov[KGDISK_SEGMENTS];
};

static int kgdisk_major;
static struct kgdisk kgdisks[KGDISK_MAX];
static int kgdisk_count;
static DEFINE_MUTEX(kgdisk_lock);

/* No highmem and no MMU: a segment's address is its page's. */
static long kgdisk_transfer(struct kgdisk *d, struct request *rq)
{
	struct kg_iovec *iov = d->iov;
	loff_t pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	struct req_iterator iter;
	struct bio_vec bv;
	int n = 0;
	long err;

	rq_for_each_segment(bv, rq, iter) {
		void *buf = bvec_virt(&bv);

		if (n && iov[n - 1].base + iov[n - 1].len == buf) {
			iov[n - 1].len += bv.bv_len;
			continue;
		}
		if (n == KGDISK_SEGMENTS)
			return -EIO;
		iov[n].base = buf;
		iov[n++].len = bv.bv_len;
	}
	err = kgrind_host->disk_rw(d->image, rq_data_dir(rq) == WRITE, iov, n, pos);
	if (!err && (rq->cmd_flags & REQ_FUA))
		err = kgrind_host->disk_flush(d->image);
	return err;
}

static blk_status_t kgdisk_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct kgdisk *d = rq->q->queuedata;
	long err;

	blk_mq_start_request(rq);
	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		mutex_lock(&d->lock);
		err = kgdisk_transfer(d, rq);
		mutex_unlock(&d->lock);
		break;
	case REQ_OP_FLUSH:
		err = kgrind_host->disk_flush(d->image);
		break;
	default:
		err = -EOPNOTSUPP;
	}
	blk_mq_end_request(rq, errno_to_blk_status(err));
	return BLK_STS_OK;
}

static const struct blk_mq_ops kgdisk_mq_ops = {
	.queue_rq = kgdisk_queue_rq,
};

static const struct block_device_operations kgdisk_fops = {
	.owner = THIS_MODULE,
};

struct kgdisk_request {
	void *image;
	unsigned long long size;
	bool read_only;
};

static long kgdisk_add(void *data)
{
	struct kgdisk_request *req = data;
	struct queue_limits lim = {
		.logical_block_size = SECTOR_SIZE,
		.max_hw_sectors = 2048,		/* 1 MiB */
		.max_segments = KGDISK_SEGMENTS,
		.features = BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA,
	};
	struct kgdisk *d;
	struct gendisk *disk;
	int n, err;

	if (kgdisk_major <= 0)
		return kgdisk_major ? kgdisk_major : -ENODEV;
	if (req->size < SECTOR_SIZE || req->size % SECTOR_SIZE)
		return -EINVAL;
	mutex_lock(&kgdisk_lock);
	n = kgdisk_count;
	err = -ENOSPC;
	if (n == KGDISK_MAX)
		goto out;
	d = &kgdisks[n];
	d->image = req->image;
	mutex_init(&d->lock);
	d->tags.ops = &kgdisk_mq_ops;
	d->tags.nr_hw_queues = 1;
	d->tags.queue_depth = 16;
	d->tags.numa_node = NUMA_NO_NODE;
	d->tags.flags = BLK_MQ_F_BLOCKING;
	err = blk_mq_alloc_tag_set(&d->tags);
	if (err)
		goto out;
	disk = blk_mq_alloc_disk(&d->tags, &lim, d);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto free_tags;
	}
	disk->major = kgdisk_major;
	disk->first_minor = n;
	disk->minors = 1;
	disk->fops = &kgdisk_fops;
	disk->private_data = d;
	snprintf(disk->disk_name, DISK_NAME_LEN, "kgdisk%d", n);
	set_capacity(disk, req->size >> SECTOR_SHIFT);
	set_disk_ro(disk, req->read_only);
	err = add_disk(disk);
	if (err)
		goto put_disk;
	d->disk = disk;
	kgdisk_count++;
	mutex_unlock(&kgdisk_lock);
	return n;

put_disk:
	put_disk(disk);
free_tags:
	blk_mq_free_tag_set(&d->tags);
out:
	mutex_unlock(&kgdisk_lock);
	return err;
}

int kg_kernel_disk_add(void *image, unsigned long long size, int read_only)
{
	struct kgdisk_request req = { image, size, read_only };

	return kgrind_run_in_task(kgdisk_add, &req);
}

static int __init kgdisk_init(void)
{
	kgdisk_major = register_blkdev(0, "kgdisk");
	return kgdisk_major < 0 ? kgdisk_major : 0;
}
device_initcall(kgdisk_init);
