import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router'
import type { Me, Role } from '@lagesbild/domain'
import { loadDeskMessages } from '@/modules/i18n'
import { useSessionStore } from '@/stores/session'
// The start screen comes with the app itself: a lazy chunk would be one more round trip before the grid.
import HomePage from '@/pages/HomePage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles that may open the page; absent means any signed-in user; `public` needs no sign-in. */
    roles?: Role[]
    public?: boolean
    /** i18n key of the page title, announced to screen readers on navigation. */
    title: string
    /** A desk page: its messages are loaded with it (see modules/i18n). */
    desk?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { public: true, title: 'auth.signInTitle' } },
    { path: '/password', name: 'password', component: () => import('@/pages/ChangePasswordPage.vue'), meta: { title: 'auth.changePasswordTitle' } },
    { path: '/second-factor', name: 'second-factor', component: () => import('@/pages/SecondFactorPage.vue'), meta: { title: 'security.title', desk: true } },
    { path: '/', name: 'home', component: HomePage, meta: { roles: ['reporter', 'reviewer'], title: 'home.title' } },
    { path: '/report', name: 'report-new', component: () => import('@/pages/ReportPage.vue'), meta: { roles: ['reporter', 'reviewer'], title: 'report.newTitle' } },
    { path: '/report/:id', name: 'report-edit', component: () => import('@/pages/ReportPage.vue'), meta: { roles: ['reporter', 'reviewer'], title: 'report.editTitle' } },
    { path: '/phone', name: 'about-phone', component: () => import('@/pages/AboutPhonePage.vue'), meta: { title: 'device.aboutPage.title' } },
    { path: '/my', name: 'my-reports', component: () => import('@/pages/MyReportsPage.vue'), meta: { roles: ['reporter', 'reviewer'], title: 'mine.title' } },
    { path: '/review', name: 'review', component: () => import('@/pages/ReviewPage.vue'), meta: { roles: ['reviewer'], title: 'review.title', desk: true } },
    { path: '/summary', name: 'summary', component: () => import('@/pages/SummaryPage.vue'), meta: { roles: ['analyst', 'reviewer', 'admin'], title: 'summary.title', desk: true } },
    { path: '/weekly/:week?', name: 'weekly', component: () => import('@/pages/WeeklyReportPage.vue'), meta: { roles: ['analyst', 'reviewer', 'admin'], title: 'weekly.title', desk: true } },
    { path: '/meeting/:week?', name: 'meeting', component: () => import('@/pages/MeetingPage.vue'), meta: { roles: ['analyst', 'reviewer', 'admin'], title: 'meeting.title', desk: true } },
    { path: '/admin', name: 'admin', component: () => import('@/pages/AdminPage.vue'), meta: { roles: ['admin'], title: 'admin.title', desk: true } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

/** Where a user lands: the capture home for field roles, otherwise the desk their role uses most. */
export function homeFor(me: Me): RouteLocationRaw {
  if (me.roles.includes('reporter')) return { name: 'home' }
  if (me.roles.includes('reviewer')) return { name: 'review' }
  if (me.roles.includes('analyst')) return { name: 'summary' }
  return { name: 'admin' }
}

router.beforeEach(async to => {
  const session = useSessionStore()
  if (to.meta.public) return true
  // Without a remembered user, a session cookie may still exist: ask once before sending anyone to sign in.
  if (!session.me && !session.checked) await session.refresh()
  const me = session.me
  if (!me) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (me.mustChangePassword && to.name !== 'password') return { name: 'password' }
  if (!me.mustChangePassword && me.mustEnrolSecondFactor && to.name !== 'second-factor') return { name: 'second-factor' }
  if (to.meta.roles && !me.roles.some(r => to.meta.roles!.includes(r))) return homeFor(me)
  if (to.meta.desk) await loadDeskMessages()
  return true
})
