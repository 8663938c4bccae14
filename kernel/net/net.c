/* net.c -- the interface's set-up and the receive entry point (net.h). */
#if LAB >= 6
#include "net/net.h"
#include "net/netstat.h"
#include <string.h>

void net_init(struct netif *nif, const uint8_t mac[ETH_ALEN], net_tx_fn transmit, void *ctx)
{
    memset(nif, 0, sizeof *nif);
    memcpy(nif->mac, mac, ETH_ALEN);
    nif->transmit = transmit;
    nif->tx_ctx = ctx;
    nif->next_ip_id = 1;
    arp_init(&nif->arp);
    udp_init(&nif->udp);
}

void net_set_addr(struct netif *nif, uint32_t ip, uint32_t netmask, uint32_t gateway)
{
    nif->ip = ip;
    nif->netmask = netmask;
    nif->gateway = gateway;
}

void net_input(struct netif *nif, const uint8_t *frame, size_t len, uint32_t now_ms)
{
    net_count(&netstat.rx_frames);
    eth_input(nif, frame, len, now_ms);
}

void net_tick(struct netif *nif, uint32_t now_ms)
{
    arp_tick(nif, now_ms);
}

void net_transmit(struct netif *nif, const uint8_t *frame, size_t len)
{
    net_count(&netstat.tx_frames);
    if (nif->transmit != NULL)
        nif->transmit(nif->tx_ctx, frame, len);
}
#endif /* LAB >= 6 */
