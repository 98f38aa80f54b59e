/** Value records for network addresses as the datapath stores them (network byte order on the wire and in maps). */
package org.xmasq.net;
