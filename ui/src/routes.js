// Routes. The signed-in pages are children of the console layout; each declares in `meta`:
//   titleKey    i18n key of its menu entry / page title
//   icon        an @element-plus/icons-vue component for the menu
//   permission  the /me permission it needs (null: every signed-in user)
//   group       optional menu group key (menu.<group>); entries without one are top level
//   menu        false to keep it out of the menu
//   roles       optional list of roles that see it (besides the permission), e.g. filing orders
// A new feature (坐席工作台, 工单, 知识库, 统计报表, 短信 …) is one more entry in consoleRoutes.
import { HomeFilled, OfficeBuilding, User, Document, Lock, DataAnalysis, Calendar, Search } from '@element-plus/icons-vue';
import { Tickets, EditPen, AlarmClock, PhoneFilled } from '@element-plus/icons-vue';
import { Reading, Location } from '@element-plus/icons-vue';
import HomeView from './views/HomeView.vue';

export const menuGroups = {
  system: { titleKey: 'menu.system', icon: OfficeBuilding },
  personal: { titleKey: 'menu.personal', icon: User },
  workorder: { titleKey: 'workorder.menu.group', icon: Tickets },
};

export const consoleRoutes = [
  { path: '', name: 'home', component: HomeView,
    meta: { titleKey: 'menu.home', icon: HomeFilled, permission: null } },
  { path: 'kb', name: 'kb', component: () => import('./views/KbSearchView.vue'),
    meta: { titleKey: 'menu.kb', icon: Reading, permission: 'kb.read' } },
  { path: 'kb/articles/:id', name: 'kb-article', component: () => import('./views/KbArticleView.vue'),
    meta: { titleKey: 'kb.article', permission: 'kb.read', menu: false } },
  { path: 'kb/edit/:id?', name: 'kb-edit', component: () => import('./views/KbEditorView.vue'),
    meta: { titleKey: 'kb.editor', permission: 'kb.edit', menu: false } },
  { path: 'kb/branches', name: 'kb-branches', component: () => import('./views/KbBranchesView.vue'),
    meta: { titleKey: 'menu.kbBranches', icon: Location, permission: 'kb.read' } },
  { path: 'kpi', name: 'kpi', component: () => import('./views/KpiView.vue'),
    meta: { titleKey: 'menu.kpi', icon: DataAnalysis, permission: 'kpi.read' } },
  { path: 'calendar', name: 'calendar', component: () => import('./views/CalendarView.vue'),
    meta: { titleKey: 'menu.calendar', icon: Calendar, permission: null } },
  // 工单 (issue 4): filing is for agents and team leaders (department users also hold workorder.write).
  { path: 'workorders/new', name: 'workorder-new', component: () => import('./views/WorkOrderNewView.vue'),
    meta: { titleKey: 'workorder.menu.new', icon: EditPen, permission: 'workorder.write', roles: ['agent', 'team_leader'], group: 'workorder' } },
  { path: 'workorders', name: 'workorders', component: () => import('./views/WorkOrderListView.vue'),
    meta: { titleKey: 'workorder.menu.queue', icon: Tickets, permission: 'workorder.read', group: 'workorder' } },
  { path: 'workorders/board', name: 'workorder-board', component: () => import('./views/WorkOrderBoardView.vue'),
    meta: { titleKey: 'workorder.menu.board', icon: AlarmClock, permission: 'workorder.read', group: 'workorder' } },
  { path: 'workorders/:id(\\d+)', name: 'workorder-detail', component: () => import('./views/WorkOrderDetailView.vue'),
    meta: { titleKey: 'workorder.menu.detail', permission: 'workorder.read', menu: false } },
  { path: 'callbacks', name: 'callbacks', component: () => import('./views/CallbackView.vue'),
    meta: { titleKey: 'workorder.menu.callbacks', icon: PhoneFilled, permission: 'callback.read', group: 'workorder' } },
  // 来电人查询 and 业务预约 (docs/FUND-API.md): the server lets a centre's agents, team leaders and admins in.
  { path: 'fund/lookup', name: 'fund-lookup', component: () => import('./views/FundLookupView.vue'),
    meta: { titleKey: 'menu.fundLookup', icon: Search, permission: null, roles: ['agent', 'team_leader', 'admin'] } },
  { path: 'fund/appointments', name: 'fund-appointments', component: () => import('./views/FundAppointmentsView.vue'),
    meta: { titleKey: 'menu.fundAppointments', icon: Tickets, permission: null, roles: ['agent', 'team_leader', 'admin'] } },
  { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'),
    meta: { titleKey: 'menu.orgs', icon: OfficeBuilding, permission: 'org.read', group: 'system' } },
  { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'),
    meta: { titleKey: 'menu.users', icon: User, permission: 'user.read', group: 'system' } },
  { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'),
    meta: { titleKey: 'menu.audit', icon: Document, permission: 'audit.read', group: 'system' } },
  { path: 'password', name: 'password', component: () => import('./views/PasswordView.vue'),
    meta: { titleKey: 'menu.password', icon: Lock, permission: null, group: 'personal' } },
  { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'),
    meta: { titleKey: 'errors.notFoundTitle', permission: null, menu: false } },
];

