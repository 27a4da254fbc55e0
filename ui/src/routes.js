// Routes. The signed-in pages are children of the console layout; each declares in `meta`:
//   titleKey    i18n key of its menu entry / page title
//   icon        an @element-plus/icons-vue component for the menu
//   permission  the /me permission it needs (null: every signed-in user)
//   group       optional menu group key (menu.<group>); entries without one are top level
//   menu        false to keep it out of the menu
// A new feature (坐席工作台, 工单, 知识库, 统计报表, 短信 …) is one more entry in consoleRoutes.
import { HomeFilled, OfficeBuilding, User, Document, Lock, DataAnalysis, Calendar } from '@element-plus/icons-vue';
import { Reading, Location } from '@element-plus/icons-vue';
import HomeView from './views/HomeView.vue';

export const menuGroups = {
  system: { titleKey: 'menu.system', icon: OfficeBuilding },
  personal: { titleKey: 'menu.personal', icon: User },
};

export const consoleRoutes = [
  { path: '', name: 'home', component: HomeView,
    meta: { titleKey: 'menu.home', icon: HomeFilled, permission: null } },
  { path: 'kpi', name: 'kpi', component: () => import('./views/KpiView.vue'),
    meta: { titleKey: 'menu.kpi', icon: DataAnalysis, permission: 'kpi.read' } },
  { path: 'calendar', name: 'calendar', component: () => import('./views/CalendarView.vue'),
    meta: { titleKey: 'menu.calendar', icon: Calendar, permission: null } },
  { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'),
    meta: { titleKey: 'menu.orgs', icon: OfficeBuilding, permission: 'org.read', group: 'system' } },
  { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'),
    meta: { titleKey: 'menu.users', icon: User, permission: 'user.read', group: 'system' } },
  { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'),
    meta: { titleKey: 'menu.audit', icon: Document, permission: 'audit.read', group: 'system' } },
  { path: 'password', name: 'password', component: () => import('./views/PasswordView.vue'),
    meta: { titleKey: 'menu.password', icon: Lock, permission: null, group: 'personal' } },
  { path: 'kb', name: 'kb', component: () => import('./views/KbSearchView.vue'),
    meta: { titleKey: 'menu.kb', icon: Reading, permission: 'kb.read' } },
  { path: 'kb/articles/:id', name: 'kb-article', component: () => import('./views/KbArticleView.vue'),
    meta: { titleKey: 'kb.article', permission: 'kb.read', menu: false } },
  { path: 'kb/edit/:id?', name: 'kb-edit', component: () => import('./views/KbEditorView.vue'),
    meta: { titleKey: 'kb.editor', permission: 'kb.edit', menu: false } },
  { path: 'kb/branches', name: 'kb-branches', component: () => import('./views/KbBranchesView.vue'),
    meta: { titleKey: 'menu.kbBranches', icon: Location, permission: 'kb.read' } },
  { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'),
    meta: { titleKey: 'errors.notFoundTitle', permission: null, menu: false } },
];

