import type { ServiceModule } from '../service.js';

/** Admin Panel API (port 8002): analytics, monitoring, system management. */
export const adminService: ServiceModule = {
  name: 'admin',
  title: 'MindBot Admin Panel',
  port: (c) => c.ADMIN_PORT,
  routes: () => [],
};
